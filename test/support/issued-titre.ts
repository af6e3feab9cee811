import { eventually } from './eventually.js';
import { startLedgerTarget, TARGET, type HttpLedger } from './ledger-target.js';
import { scenario, type Caller } from './scenario.js';

export const RNCP = 'RNCP38665';
/** How long a journey waits for what the change feed and the workflows do: the twin's Streams and Lambdas take longer. */
export const WAIT = TARGET === 'twin' ? 90_000 : 30_000;

export interface IssuedTitre {
  L: HttpLedger;
  /** The candidate holding the titre (of a centre in Bretagne, the default region of the scenario). */
  holder: string;
  /** The titre's certificate code. */
  code: string;
  /**
   * fetch as a verifier or a wallet elsewhere does it, by the public URLs the ledger prints: on the twin the public
   * host is the CloudFront domain it answers for, so the path is asked of the twin.
   */
  publicFetch: typeof fetch;
}

/**
 * What the credential and wallet journeys start from, on either target: a titre issued through the API only (a
 * centre, two jurors, a titre session, the deliberation signed, the PV validated by the DREETS of the region), its
 * certificate valid in the holder's record.
 */
export async function startWithIssuedTitre(familyName = 'Moreau'): Promise<IssuedTitre> {
  const L = await startLedgerTarget({ clock: 'virtual:2025-09-01T08:00:00Z' });
  const call: Caller = (method, path, opts = {}) => L.call(method, path, { ...opts, ...(opts.as ? { as: opts.as } : {}) });
  const s = scenario(call);
  const centreId = await s.centre(RNCP, { validUntil: '2029-05-12' });
  const jurors = await s.jurors(RNCP, 2, { validUntil: '2029-05-12' });
  const blocs = await s.blocs(RNCP);
  const holder = await s.candidate(centreId, familyName);
  const sessionId = await s.session(centreId, { rncp: RNCP, kind: 'titre', startsOn: '2025-10-06', endsOn: '2025-10-07' }, jurors);
  await s.enrol(centreId, sessionId, holder);
  await L.setClock('2025-10-07T14:00:00Z');
  await s.deliberate(sessionId, jurors, holder, 'titre', blocs, ['RNCP38665BC01', 'RNCP38665BC02']);
  await s.validatePv(sessionId);
  const code = await eventually(
    async () => {
      const record = (await L.call('GET', `/candidates/${holder}/record`, { as: ['candidate', holder] })).json;
      return record?.certificates?.[0]?.status === 'valid' ? (record.certificates[0].code as string) : undefined;
    },
    'the titre issued',
    WAIT,
  );
  const publicFetch: typeof fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    return fetch(L.target === 'twin' ? new URL(`${url.pathname}${url.search}`, L.url) : url, init);
  };
  return { L, holder, code, publicFetch };
}
