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
    spec
      .given([registered])
      .when({ type: 'RegisterCertificationVersion', version: version({ level: 6 }) })
      .thenRefused('certification-already-registered');
    spec
      .given([registered])
      .when({ type: 'RegisterCertificationVersion', version: version({ blocs: version().blocs.slice(0, 1) }) })
      .thenRefused('certification-already-registered');
  });
  it('a changed reading of its rules (an assumption switched, a field added) amends it, naming what changed', () => {
    const amended = version({ capitalisationFinalInterviewRequired: false, assumptions: ['entretien final not required at capitalisation'] });
    spec
      .given([registered])
      .when({ type: 'RegisterCertificationVersion', version: amended })
      .then([{ type: 'CertificationVersionAmended', data: { version: amended, changed: ['assumptions', 'capitalisationFinalInterviewRequired'] } }]);
    spec
      .given([registered, { type: 'CertificationVersionAmended', data: { version: amended, changed: ['assumptions'] } }])
      .when({ type: 'RegisterCertificationVersion', version: amended })
      .thenNothing();
  });
  it('a validity window that ends before it starts is refused', () => {
    spec
      .given()
      .when({ type: 'RegisterCertificationVersion', version: version({ validUntil: '2020-01-01' }) })
      .thenRefused('invalid-validity-window');
  });
  it('duplicate bloc codes are refused', () => {
    const blocs = [version().blocs[0]!, version().blocs[0]!];
    spec
      .given()
      .when({ type: 'RegisterCertificationVersion', version: version({ blocs }) })
      .thenRefused('duplicate-bloc-code');
  });
  it('a revision declares the successor and its correspondences', () => {
    const revision = { rncp: 'RNCP38665', successor: 'RNCP40000', effectiveOn: '2029-05-13', correspondences: [{ from: ['RNCP38665BC01'], to: 'RNCP40000BC01' }], assumptions: [] };
    spec
      .given([registered])
      .when({ type: 'ReviseCertificationVersion', ...revision })
      .then([{ type: 'CertificationVersionRevised', data: revision }]);
  });
  it('a correspondence from a bloc the version does not have is refused', () => {
    spec
      .given([registered])
      .when({
        type: 'ReviseCertificationVersion',
        rncp: 'RNCP38665',
        successor: 'RNCP40000',
        effectiveOn: '2029-05-13',
        correspondences: [{ from: ['RNCP38665BC09'], to: 'X' + 'BC01' }],
        assumptions: [],
      })
      .thenRefused('unknown-bloc');
  });
  describe('the end of a version: closure, revision and prorogation are distinct events with their dates (DESIGN.md rule 11)', () => {
    const revised = {
      type: 'CertificationVersionRevised' as const,
      data: { rncp: 'RNCP38665', successor: 'RNCP40000', effectiveOn: '2029-05-13', correspondences: [], assumptions: [] },
    };
    const closed = { type: 'CertificationVersionClosed' as const, data: { rncp: 'RNCP38665', closedOn: '2029-05-12', graceUntil: '2030-05-12', assumptions: [] } };
    const close = (closedOn = '2029-05-12') => ({ type: 'CloseCertificationVersion' as const, rncp: 'RNCP38665', closedOn, assumptions: [] });
    const prorogue = (validUntil: string) => ({ type: 'ProrogueCertificationVersion' as const, rncp: 'RNCP38665', validUntil, decidedOn: '2029-04-01', assumptions: [] });
    it('a closure records its date and the end of the grace year its regime gives', () => {
      spec.given([registered]).when(close()).then([closed]);
    });
    it('the 2006 regime (fixed years) has no grace year after the version', () => {
      const fixed = { type: 'CertificationVersionRegistered' as const, data: version({ regime: { kind: 'fixed-years', years: 5 } }) };
      spec
        .given([fixed])
        .when(close())
        .then([{ ...closed, data: { ...closed.data, graceUntil: '2029-05-12' } }]);
    });
    it('closing again on the same date changes nothing; on another is a conflict', () => {
      spec.given([registered, closed]).when(close()).thenNothing();
      spec.given([registered, closed]).when(close('2029-01-01')).thenRefused('certification-already-closed');
    });
    it('a revised version is not closed (certification-revised); a closure lies within the registration (closure-outside-registration)', () => {
      spec.given([registered, revised]).when(close()).thenRefused('certification-revised');
      spec.given([registered]).when(close('2029-05-13')).thenRefused('closure-outside-registration');
    });
    it('a prorogation moves the end of registration, and the next one starts from it', () => {
      const first = {
        type: 'CertificationVersionProrogued' as const,
        data: { rncp: 'RNCP38665', previousValidUntil: '2029-05-12', validUntil: '2030-12-31', decidedOn: '2029-04-01', assumptions: [] },
      };
      spec.given([registered]).when(prorogue('2030-12-31')).then([first]);
      spec.given([registered, first]).when(prorogue('2030-12-31')).thenNothing();
      spec
        .given([registered, first])
        .when(prorogue('2031-06-30'))
        .then([{ ...first, data: { ...first.data, previousValidUntil: '2030-12-31', validUntil: '2031-06-30' } }]);
      spec
        .given([registered, first])
        .when(close('2030-12-31'))
        .then([{ ...closed, data: { ...closed.data, closedOn: '2030-12-31', graceUntil: '2031-12-31' } }]);
    });
    it('a prorogation extends (prorogation-shortens), and never a closed or revised version', () => {
      spec.given([registered]).when(prorogue('2029-01-01')).thenRefused('prorogation-shortens');
      spec.given([registered, closed]).when(prorogue('2030-12-31')).thenRefused('certification-closed');
      spec.given([registered, revised]).when(prorogue('2030-12-31')).thenRefused('certification-revised');
    });
  });
  it('revising an unknown version is refused as not found', () => {
    spec
      .given()
      .when({ type: 'ReviseCertificationVersion', rncp: 'RNCP38665', successor: 'RNCP40000', effectiveOn: '2029-05-13', correspondences: [], assumptions: [] })
      .thenRefused('certification-not-found');
  });
});
