import { describe, it } from 'vitest';
import { certification } from '../../domain/certification.js';
import { specFor } from '../support/decider-spec.js';
import { version } from './fixtures.js';


const spec = specFor(certification);
const registered = { type: 'CertificationVersionRegistered' as const, data: version() };

describe('certification versions', () => {
  it('registering a new version records it', () => {
    spec.given().when({ type: 'RegisterCertificationVersion', version: version() }).then([registered]);
  });
  it('registering the same version again changes nothing (the loader runs at every start)', () => {
    spec.given([registered]).when({ type: 'RegisterCertificationVersion', version: version() }).thenNothing();
  });
  it('registering other content under a registered code is refused', () => {
    spec.given([registered]).when({ type: 'RegisterCertificationVersion', version: version({ level: 6 }) }).thenRefused('certification-already-registered');
  });
  it('a validity window that ends before it starts is refused', () => {
    spec.given().when({ type: 'RegisterCertificationVersion', version: version({ validUntil: '2020-01-01' }) }).thenRefused('invalid-validity-window');
  });
  it('duplicate bloc codes are refused', () => {
    const blocs = [version().blocs[0]!, version().blocs[0]!];
    spec.given().when({ type: 'RegisterCertificationVersion', version: version({ blocs }) }).thenRefused('duplicate-bloc-code');
  });
  it('a revision declares the successor and its correspondences', () => {
    const revision = { rncp: 'RNCP38665', successor: 'RNCP40000', effectiveOn: '2029-05-13', correspondences: [{ from: ['RNCP38665BC01'], to: 'RNCP40000BC01' }], assumptions: [] };
    spec.given([registered]).when({ type: 'ReviseCertificationVersion', ...revision }).then([{ type: 'CertificationVersionRevised', data: revision }]);
  });
  it('a correspondence from a bloc the version does not have is refused', () => {
    spec
      .given([registered])
      .when({ type: 'ReviseCertificationVersion', rncp: 'RNCP38665', successor: 'RNCP40000', effectiveOn: '2029-05-13', correspondences: [{ from: ['RNCP38665BC09'], to: 'X' + 'BC01' }], assumptions: [] })
      .thenRefused('unknown-bloc');
  });
  it('revising an unknown version is refused as not found', () => {
    spec.given().when({ type: 'ReviseCertificationVersion', rncp: 'RNCP38665', successor: 'RNCP40000', effectiveOn: '2029-05-13', correspondences: [], assumptions: [] }).thenRefused('certification-not-found');
  });
});
