/**
 * Policies' "Save the runtime": the dependency-free file that serves an exported policy in the
 * user's own service (the built out/runtime/runtime.js, which the app ships), saved as Export saves
 * a policy: the native save dialog in the desktop app, a download in the browser.
 */
import { useClient } from '../api';
import { ActionNotice, useActionNotice } from './action-notice';
import { saveText } from './policy-files';

export function PolicyRuntimeSave() {
  const client = useClient();
  // The notice says how the save went and takes focus, as Export's does (action-notice.tsx).
  const { busy, notice, noticeRef, run } = useActionNotice();

  const save = () =>
    run(async () => {
      const runtime = await client.call('policies.runtime', {});
      const saved = await saveText(client, { title: 'Save the policy runtime', defaultName: runtime.fileName, text: runtime.text, type: 'text/javascript' });
      return saved.saved
        ? `Saved the policy runtime to ${saved.where}. In your service: import { loadPolicy } from './${runtime.fileName}' (name it runtime.mjs in a CommonJS project).`
        : 'The policy runtime was not saved.';
    });

  return (
    <>
      <div className="row">
        <button type="button" onClick={() => void save()} disabled={busy} data-testid="runtime-save-button">
          {busy ? 'Saving…' : client.door === 'electron' ? 'Save the runtime…' : 'Download the runtime'}
        </button>
      </div>
      <ActionNotice notice={notice} noticeRef={noticeRef} testId="runtime-save-notice" />
    </>
  );
}
