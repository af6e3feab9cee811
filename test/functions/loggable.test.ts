import { describe, expect, it } from 'vitest';
import { newCertificateCode } from '../../functions/certificates/issue-certificate.js';
import { loggablePath } from '../../functions/shared/dispatch.js';
import { loggableCode } from '../../functions/shared/loggable.js';

describe('a log line gives no certificate code away (issue 18)', () => {
  it('a code in a path is hashed, in any case and percent-encoding; the same code always gives the same hash', () => {
    const code = newCertificateCode();
    const hashed = loggableCode(code);
    expect(hashed).toMatch(/^code#[0-9a-f]{12}$/);
    expect(hashed).not.toContain(code);
    expect(loggablePath(`/verify/${code}`)).toBe(`/verify/${hashed}`);
    expect(loggablePath(`/certificates/${code.toLowerCase()}/pdf`)).toBe(`/certificates/${hashed}/pdf`);
    expect(loggablePath(`/candidates/k1/credential-offers/${encodeURIComponent(code)}`)).toBe(`/candidates/k1/credential-offers/${hashed}`);
    expect(loggableCode(newCertificateCode())).not.toBe(hashed);
  });
  it('other segments stay as they are, an email is left out', () => {
    expect(loggablePath('/sessions/5b6c7d8e/enrolments')).toBe('/sessions/5b6c7d8e/enrolments');
    expect(loggablePath('/candidates/k1/accounts/lea%40exemple.fr')).toBe('/candidates/k1/accounts/{email}');
    expect(loggablePath('/verify/%3Cscript%3E')).toBe('/verify/%3Cscript%3E');
  });
});
