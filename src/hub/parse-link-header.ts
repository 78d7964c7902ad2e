/**
 * The targets of an HTTP `Link` header by relation (RFC 8288): `<uri>; rel="next"`, `<uri>;rel=next`,
 * several links separated by commas, several relations in one `rel`, and URI references resolved
 * against `base` (a mirror may send a relative one). A link whose URI does not resolve is skipped.
 */
export function parseLinkHeader(header: string, base: string): Record<string, string> {
  const links: Record<string, string> = {};
  // Each link: <uri> followed by parameters up to the next comma that is outside quotes.
  for (const match of header.matchAll(/<([^>]*)>((?:\s*;\s*[^;,=\s]+\s*(?:=\s*(?:"[^"]*"|[^;,\s]*))?)*)/g)) {
    let target: string;
    try {
      target = new URL(match[1]!.trim(), base).href;
    } catch {
      continue;
    }
    for (const param of match[2]!.matchAll(/;\s*([^;,=\s]+)\s*(?:=\s*(?:"([^"]*)"|([^;,\s]*)))?/g)) {
      if (param[1]!.toLowerCase() !== 'rel') continue;
      for (const rel of (param[2] ?? param[3] ?? '').toLowerCase().split(/\s+/)) if (rel && links[rel] === undefined) links[rel] = target;
    }
  }
  return links;
}
