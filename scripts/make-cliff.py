"""Writes resources/experiments/cliff.mdp.json: Sutton & Barto's cliff walking (Example 6.6).
A 4x12 grid; start bottom-left, goal bottom-right (terminal); every step costs -1; stepping into the
cliff (the bottom row between start and goal) costs -100 and sends the agent back to the start."""
import json, sys
ROWS, COLS = 4, 12
START, GOAL = (3, 0), (3, 11)
moves = {"up": (-1, 0), "right": (0, 1), "down": (1, 0), "left": (0, -1)}
idx = lambda r, c: r * COLS + c
cliff = {(3, c) for c in range(1, 11)}
transitions = []
for r in range(ROWS):
    for c in range(COLS):
        if (r, c) == GOAL or (r, c) in cliff:
            continue
        for a, (dr, dc) in enumerate(moves.values()):
            nr, nc = min(max(r + dr, 0), ROWS - 1), min(max(c + dc, 0), COLS - 1)
            if (nr, nc) in cliff:
                transitions.append([idx(r, c), a, 1.0, idx(*START), -100.0])
            else:
                transitions.append([idx(r, c), a, 1.0, idx(nr, nc), -1.0])
# Cliff cells are never occupied; they still need transitions (they are non-terminal states of the
# grid), so they behave like the start cell. Keeping them makes state r*12+c the cell (r, c).
for (r, c) in sorted(cliff):
    for a in range(4):
        transitions.append([idx(r, c), a, 1.0, idx(*START), -100.0])
doc = {
    "format": "aisle.mdp/v1",
    "name": "cliff walking (Sutton & Barto, Example 6.6)",
    "states": [f"r{r}c{c}" + (" start" if (r, c) == START else " goal" if (r, c) == GOAL else " cliff" if (r, c) in cliff else "") for r in range(ROWS) for c in range(COLS)],
    "actions": list(moves.keys()),
    "start": {str(idx(*START)): 1.0},
    "terminal": [idx(*GOAL)],
    "transitions": transitions,
}
out = sys.argv[1] if len(sys.argv) > 1 else "resources/experiments/cliff.mdp.json"
with open(out, "w") as f:
    f.write(json.dumps(doc, separators=(",", ":")).replace("],[", "],\n  ["))
    f.write("\n")
