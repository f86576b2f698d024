/**
 * Vertical marks at episodes where the environment itself changes (the shop's preference shift):
 * a chart.js plugin drawing a dashed line across the plot area and its label at the top, so a drop
 * in a learning curve there reads as the task changing rather than the agent failing. The chart
 * knows only episodes and labels; which episodes come from the environment's settings (the service
 * sends them as episodeMarks).
 */
import type { Plugin } from 'chart.js';
import type { EpisodeMark } from '../../../engine/definitions';
import { fmt } from '../format';

export type { EpisodeMark };

/** How a mark reads in a sentence: "preference shift at episode 500". */
export function markText(mark: EpisodeMark): string {
  return `${mark.label} at episode ${fmt(mark.episode)}`;
}

/**
 * The plugin, reading the marks and their colour from refs so that new ones need no new chart.
 * After drawing, the canvas's `data-episode-marks` lists the marks drawn ("500 preference shift",
 * `;` between): those inside the x axis's range, the others having no place on it.
 */
export function episodeMarks(marks: { current: readonly EpisodeMark[] }, color: { current: string }): Plugin<'line'> {
  return {
    id: 'aisleEpisodeMarks',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x;
      const area = chart.chartArea;
      if (!x) return;
      const drawn = marks.current.filter((m) => m.episode >= x.min && m.episode <= x.max);
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = color.current;
      ctx.fillStyle = color.current;
      ctx.lineWidth = 1;
      ctx.setLineDash([4, 3]);
      ctx.font = '11px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      for (const m of drawn) {
        const at = Math.round(x.getPixelForValue(m.episode)) + 0.5;
        ctx.beginPath();
        ctx.moveTo(at, area.top);
        ctx.lineTo(at, area.bottom);
        ctx.stroke();
        // The label beside the line, inside the plot area: to the left when the right has no room.
        const width = ctx.measureText(m.label).width;
        const right = at + 4 + width <= area.right;
        ctx.textAlign = right ? 'left' : 'right';
        ctx.fillText(m.label, right ? at + 4 : at - 4, area.top + 3);
      }
      ctx.restore();
      chart.canvas.dataset.episodeMarks = drawn.map((m) => `${m.episode} ${m.label}`).join(';');
    },
  };
}

/**
 * The marks Compare's one chart draws: those of every group when all groups share them, else none
 * and a note naming each group's (a mark one group's environment has and another's lacks would be
 * read as everyone's). `note` is null when the groups share their marks or none has any.
 */
export function sharedMarks(groups: readonly { readonly label: string; readonly episodeMarks: readonly EpisodeMark[] }[]): { marks: readonly EpisodeMark[]; note: string | null } {
  const key = (marks: readonly EpisodeMark[]) => JSON.stringify(marks.map((m) => [m.episode, m.label]));
  const first = groups[0]?.episodeMarks ?? [];
  if (groups.every((g) => key(g.episodeMarks) === key(first))) return { marks: first, note: null };
  const each = groups.map((g) => `${g.label}: ${g.episodeMarks.length > 0 ? g.episodeMarks.map(markText).join(', ') : 'none'}`);
  return { marks: [], note: `Not marked on the chart: the groups' environments change at different episodes (${each.join('; ')}).` };
}
