/**
 * Which addresses are this machine's own (loopback), and the origins a page the browser-mode host
 * serves can have: the only ones its API answers.
 */
import { networkInterfaces, hostname } from 'node:os';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);
/** Addresses that bind every interface. */
export const WILDCARD = new Set(['0.0.0.0', '::']);

export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * The origins a page served by this host can have: loopback names, plus the bound address(es); on
 * every interface (0.0.0.0), the machine's own name too (`http://lab-pc:5717`, and `lab-pc.local`
 * as mDNS names it), which other machines on the network use as often as its address.
 */
export function ownOrigins(host: string, port: number, machine = hostname()): Set<string> {
  const hosts = new Set(['127.0.0.1', 'localhost', '[::1]']);
  if (WILDCARD.has(host)) {
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) hosts.add(i.family === 'IPv6' ? `[${i.address.split('%')[0]}]` : i.address);
    const name = machine.toLowerCase();
    if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(name)) {
      hosts.add(name);
      if (!name.includes('.')) hosts.add(`${name}.local`);
    }
  } else {
    hosts.add(host.includes(':') ? `[${host}]` : host);
  }
  // Through URL, as a browser writes an Origin: port 80 is left out of it.
  return new Set([...hosts].map((h) => new URL(`http://${h}:${port}`).origin));
}
