type As = [role: 'centre' | 'juror' | 'dreets' | 'ministry' | 'candidate', ledgerId: string, region?: string];
type Call = (method: string, path: string, opts: { as: As; body: unknown }) => Promise<{ status: number; json: any }>;

/**
 * A centre a DREETS registered, through the HTTP contract (the route manifest or real HTTP). A centre token is
 * only as good as the centre behind it (issue 17): one for an id no DREETS registered registers no candidate and
 * schedules no session, so tests that only need "a centre" take one from here.
 */
export async function registeredCentre(call: Call, { region = 'Bretagne', name = `Centre ${region}` }: { region?: string; name?: string } = {}): Promise<string> {
  const res = await call('POST', '/centres', { as: ['dreets', 'agent-fixture', region], body: { name, region } });
  if (res.status !== 201) throw new Error(`POST /centres answered ${res.status}: ${JSON.stringify(res.json)}`);
  return res.json.centreId as string;
}
