/**
 * The preload: exposes the contract to the page as `window.aisle` (PreloadApi) over six IPC
 * channels, and nothing more — no Node, no ipcRenderer, no arbitrary channel names reach the page.
 * Built as CommonJS (out/preload/index.cjs) because a sandboxed preload cannot be an ES module.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT, IPC_INVOKE, IPC_OPEN, IPC_SAVE, IPC_SAVE_METRICS_CSV, IPC_THEME, type PreloadApi } from '../shared/client';

const api: PreloadApi = {
  invoke: (command, input) => ipcRenderer.invoke(IPC_INVOKE, { command, input }),
  onEvent(listener) {
    const forward = (_e: IpcRendererEvent, message: { event: string; payload: unknown }) => listener(message.event, message.payload);
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
  openFiles: (options) => ipcRenderer.invoke(IPC_OPEN, options),
  saveFile: (options) => ipcRenderer.invoke(IPC_SAVE, options),
  saveMetricsCsv: (id) => ipcRenderer.invoke(IPC_SAVE_METRICS_CSV, { id }),
  // One-way: the page has nothing to wait for, and a refused value is main's to log, not the page's to handle.
  setTheme: (choice) => ipcRenderer.send(IPC_THEME, choice),
};

contextBridge.exposeInMainWorld('aisle', api);
