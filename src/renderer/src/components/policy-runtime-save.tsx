/**
 * Policies' "Save the runtime": the dependency-free file that serves an exported policy in the
 * user's own service (the built out/runtime/runtime.js, which the app ships), saved as Export saves
 * a policy: the native save dialog in the desktop app, a download in the browser.
 */
import { useRef, useState } from 'react';
import { errorText, useClient } from '../api';
import { useFocusAfterRender } from '../focus';
import { saveText } from './policy-files';

type Notice = { kind: 'ok' | 'error'; text: string } | null;

export function PolicyRuntimeSave() {
  const client = useClient();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  // The button is disabled while it works, which drops focus to <body>: the notice takes it, as Export's does.
  const noticeRef = useRef<HTMLParagraphElement>(null);
  const focusAfterRender = useFocusAfterRender();

  const save = async () => {
    setBusy(true);
    setNotice(null);
    try {
      const runtime = await client.call('policies.runtime', {});
      const saved = await saveText(client, { title: 'Save the policy runtime', defaultName: runtime.fileName, text: runtime.text, type: 'text/javascript' });
      setNotice(
        saved.saved
          ? { kind: 'ok', text: `Saved the policy runtime to ${saved.where}. In your service: import { loadPolicy } from './${runtime.fileName}' (name it runtime.mjs in a CommonJS project).` }
          : { kind: 'ok', text: 'The policy runtime was not saved.' },
      );
    } catch (e) {
      setNotice({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
      focusAfterRender(() => noticeRef.current);
    }
  };

  return (
    <>
      <div className="row">
        <button type="button" onClick={() => void save()} disabled={busy} data-testid="runtime-save-button">
          {busy ? 'Saving…' : client.door === 'electron' ? 'Save the runtime…' : 'Download the runtime'}
        </button>
      </div>
      {notice && (
        <p ref={noticeRef} tabIndex={-1} className={notice.kind === 'ok' ? 'notice' : 'error'} role={notice.kind === 'error' ? 'alert' : 'status'} data-testid="runtime-save-notice">
          {notice.text}
        </p>
      )}
    </>
  );
}
