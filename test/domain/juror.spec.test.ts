import { describe, it } from 'vitest';
import { juror } from '../../domain/juror.js';
import type { CertificationVersion } from '../../events/certification.js';
import { specFor } from '../support/decider-spec.js';
import { version } from './fixtures.js';

const spec = specFor(juror);
const registered = { type: 'JurorRegistered' as const, data: { jurorId: 'j1', independent: true } };
const grant = (over: { validFrom?: string; validUntil?: string; certification?: CertificationVersion | undefined; actingRegion?: string | undefined } = {}) => ({
  type: 'GrantHabilitation' as const,
  jurorId: 'j1',
  rncp: 'RNCP38665',
  validFrom: '2025-01-01',
  validUntil: '2027-12-31',
  certification: version(),
  actingRegion: 'Bretagne',
  ...over,
});
const granted = { type: 'HabilitationGranted' as const, data: { jurorId: 'j1', rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: '2027-12-31' } };

describe('jurors', () => {
  it('registering a juror records their id and independence only', () => {
    spec.given().when({ type: 'RegisterJuror', jurorId: 'j1', independent: true }).then([registered]);
  });
  it('registering the same juror again changes nothing', () => {
    spec.given([registered]).when({ type: 'RegisterJuror', jurorId: 'j1', independent: true }).thenNothing();
  });
  it('a juror registered by a regional agent records that region; their habilitations are decided there (outside-territory)', () => {
    const regional = { type: 'JurorRegistered' as const, data: { jurorId: 'j1', independent: true, region: 'Occitanie' } };
    spec.given().when({ type: 'RegisterJuror', jurorId: 'j1', independent: true, region: 'Occitanie' }).then([regional]);
    spec
      .given([regional])
      .when(grant({ actingRegion: 'Bretagne' }))
      .thenRefused('outside-territory');
    spec
      .given([regional])
      .when(grant({ actingRegion: 'Occitanie' }))
      .then([granted]);
  });
  it('a juror registered before regions were recorded is habilitated by any regional agent, never by an agent without region', () => {
    spec
      .given([registered])
      .when(grant({ actingRegion: 'Normandie' }))
      .then([granted]);
    spec
      .given([registered])
      .when(grant({ actingRegion: undefined }))
      .thenRefused('outside-territory');
  });
  it('registering a registered juror with another independence is refused', () => {
    spec.given([registered]).when({ type: 'RegisterJuror', jurorId: 'j1', independent: false }).thenRefused('juror-already-registered');
  });
});

describe('habilitations', () => {
  it('a habilitation is granted for a certification version with its dates', () => {
    spec.given([registered]).when(grant()).then([granted]);
  });
  it('granting the same habilitation again changes nothing', () => {
    spec.given([registered, granted]).when(grant()).thenNothing();
  });
  it('a habilitation ending after the version is registered is refused', () => {
    spec
      .given([registered])
      .when(grant({ validUntil: '2030-01-01' }))
      .thenRefused('habilitation-beyond-version');
  });
  it('into the grace year only where the referential says so (assumption agrementsExtendIntoGrace)', () => {
    spec
      .given([registered])
      .when(grant({ validUntil: '2030-01-01', certification: version({ agrementsExtendIntoGrace: true }) }))
      .then([{ ...granted, data: { ...granted.data, validUntil: '2030-01-01' } }]);
    spec
      .given([registered])
      .when(grant({ validUntil: '2030-05-13', certification: version({ agrementsExtendIntoGrace: true }) }))
      .thenRefused('habilitation-beyond-version');
  });
  it('a habilitation that ends before it starts is refused', () => {
    spec
      .given([registered])
      .when(grant({ validFrom: '2026-01-01', validUntil: '2025-12-31' }))
      .thenRefused('invalid-validity-window');
  });
  it('a habilitation for an unknown juror is refused as not found', () => {
    spec.given().when(grant()).thenRefused('juror-not-found');
  });
  it('a habilitation for an unknown certification is refused as not found', () => {
    spec
      .given([registered])
      .when(grant({ certification: undefined }))
      .thenRefused('certification-not-found');
  });
});
