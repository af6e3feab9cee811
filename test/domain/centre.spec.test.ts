import { describe, it } from 'vitest';
import { centre } from '../../domain/centre.js';
import type { CertificationVersion } from '../../events/certification.js';
import { specFor } from '../support/decider-spec.js';
import { version } from './fixtures.js';

const spec = specFor(centre);
const registered = { type: 'CentreRegistered' as const, data: { centreId: 'c1', name: 'AFPA Roubaix', region: 'Hauts-de-France' } };
const grant = (over: { validFrom?: string; validUntil?: string; certification?: CertificationVersion | undefined; actingRegion?: string | undefined; today?: string } = {}) => ({
  type: 'GrantAgrement' as const,
  centreId: 'c1',
  rncp: 'RNCP38665',
  validFrom: '2025-01-01',
  validUntil: '2027-12-31',
  certification: version(),
  actingRegion: 'Hauts-de-France',
  today: '2025-01-01',
  ...over,
});
const granted = { type: 'AgrementGranted' as const, data: { centreId: 'c1', rncp: 'RNCP38665', validFrom: '2025-01-01', validUntil: '2027-12-31' } };

describe('centres', () => {
  it('registering a centre records its name and region', () => {
    spec
      .given()
      .when({ type: 'RegisterCentre', ...registered.data, actingRegion: 'Hauts-de-France' })
      .then([registered]);
  });
  it('registering the same centre again changes nothing', () => {
    spec
      .given([registered])
      .when({ type: 'RegisterCentre', ...registered.data, actingRegion: 'Hauts-de-France' })
      .thenNothing();
  });
  it('registering other details under a registered id is refused', () => {
    spec
      .given([registered])
      .when({ type: 'RegisterCentre', ...registered.data, region: 'Bretagne', actingRegion: 'Bretagne' })
      .thenRefused('centre-already-registered');
  });
});

describe('registering a centre in the agent’s territory (DESIGN.md rule 16)', () => {
  it('a DREETS agent of another region is refused (outside-territory), nothing recorded', () => {
    spec
      .given()
      .when({ type: 'RegisterCentre', ...registered.data, actingRegion: 'Bretagne' })
      .thenRefused('outside-territory');
  });
  it('an agent whose account carries no region registers no centre', () => {
    spec
      .given()
      .when({ type: 'RegisterCentre', ...registered.data, actingRegion: undefined })
      .thenRefused('outside-territory');
  });
  it('the same registration retried by an agent of another region is refused too, not answered as done', () => {
    spec
      .given([registered])
      .when({ type: 'RegisterCentre', ...registered.data, actingRegion: 'Bretagne' })
      .thenRefused('outside-territory');
  });
});

describe('agréments', () => {
  it('a DREETS agent grants agréments in its own region only (outside-territory, DESIGN.md rule 16)', () => {
    spec
      .given([registered])
      .when(grant({ actingRegion: 'Bretagne' }))
      .thenRefused('outside-territory');
  });
  it('an agrément may cover CCS of the version, named by code (unknown-ccs otherwise)', () => {
    const withCcs = version({ ccs: [{ code: 'RNCP38665CCS01', title: 'Spécialisation', competences: [{ code: 'RNCP38665CCS01C1', title: 'c1' }] }] });
    spec
      .given([registered])
      .when({ ...grant({ certification: withCcs }), ccs: ['RNCP38665CCS01'] })
      .then([{ ...granted, data: { ...granted.data, ccs: ['RNCP38665CCS01'] } }]);
    spec
      .given([registered])
      .when({ ...grant(), ccs: ['RNCP38665CCS01'] })
      .thenRefused('unknown-ccs');
  });
  it('an agent whose account carries no region grants none (outside-territory)', () => {
    spec
      .given([registered])
      .when(grant({ actingRegion: undefined }))
      .thenRefused('outside-territory');
  });
  it('an agrément is granted for a certification version with its dates', () => {
    spec.given([registered]).when(grant()).then([granted]);
  });
  it('an agrément already over on the day it is granted is refused (agrement-already-expired)', () => {
    spec
      .given([registered])
      .when(grant({ validFrom: '2025-01-01', validUntil: '2025-06-30', today: '2025-07-01' }))
      .thenRefused('agrement-already-expired');
  });
  it('an agrément starting before the version is registered is refused (agrement-before-version)', () => {
    spec
      .given([registered])
      .when(grant({ validFrom: '2000-01-01', validUntil: '2027-12-31' }))
      .thenRefused('agrement-before-version');
  });
  it('granting the same agrément again changes nothing', () => {
    spec.given([registered, granted]).when(grant()).thenNothing();
  });
  it('an agrément ending after the version is registered is refused (agrement-beyond-version)', () => {
    spec
      .given([registered])
      .when(grant({ validUntil: '2029-05-13' }))
      .thenRefused('agrement-beyond-version');
  });
  it('into the grace year only where the referential says so (assumption agrementsExtendIntoGrace)', () => {
    const extending = version({ agrementsExtendIntoGrace: true });
    spec
      .given([registered])
      .when(grant({ validUntil: '2030-05-12', certification: extending }))
      .then([{ ...granted, data: { ...granted.data, validUntil: '2030-05-12' } }]);
    spec
      .given([registered])
      .when(grant({ validUntil: '2030-05-13', certification: extending }))
      .thenRefused('agrement-beyond-version');
    spec
      .given([registered])
      .when(grant({ validUntil: '2030-05-12', certification: version({ agrementsExtendIntoGrace: false }) }))
      .thenRefused('agrement-beyond-version');
  });
  it('an agrément ending on the version’s last day is granted', () => {
    spec
      .given([registered])
      .when(grant({ validUntil: '2029-05-12' }))
      .then([{ type: 'AgrementGranted', data: { ...granted.data, validUntil: '2029-05-12' } }]);
  });
  it('an agrément that ends before it starts is refused', () => {
    spec
      .given([registered])
      .when(grant({ validFrom: '2026-01-01', validUntil: '2025-12-31' }))
      .thenRefused('invalid-validity-window');
  });
  it('an agrément for an unknown centre is refused as not found', () => {
    spec.given().when(grant()).thenRefused('centre-not-found');
  });
  it('an agrément for an unknown certification is refused as not found', () => {
    spec
      .given([registered])
      .when(grant({ certification: undefined }))
      .thenRefused('certification-not-found');
  });
});
