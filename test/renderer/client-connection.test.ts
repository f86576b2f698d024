// The client's connection listeners: they hear when the transport's event stream drops and comes
// back, asking for them opens the stream once (shared with the event listeners), and a listener
// that unsubscribes hears nothing more.
import { describe, expect, it } from 'vitest';
import { createClient, type Connection, type Transport } from '../../src/shared/client';

function fakeTransport() {
  const opened: ((state: Connection) => void)[] = [];
  const transport: Transport = {
    door: 'browser',
    invoke: () => Promise.resolve({ ok: true, value: null } as never),
    subscribe(_listener, connection) {
      if (connection) opened.push(connection);
      return () => undefined;
    },
  };
  return { transport, opened };
}

describe('Client.onConnection', () => {
  it('hears the stream go down, be refused and come back up, over the one stream the events use', () => {
    const { transport, opened } = fakeTransport();
    const client = createClient(transport);
    const heard: Connection[] = [];
    const stop = client.onConnection((state) => heard.push(state));
    client.on('run.status', () => undefined);
    expect(opened).toHaveLength(1); // one stream for both
    opened[0]!('down');
    opened[0]!('refused');
    opened[0]!('up');
    expect(heard).toEqual(['down', 'refused', 'up']);
    stop();
    opened[0]!('down');
    expect(heard).toEqual(['down', 'refused', 'up']);
  });
});
