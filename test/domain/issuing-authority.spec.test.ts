import { describe, expect, it } from 'vitest';
import { DomainError } from '../../domain/errors.js';
import { issuingAuthority, nameOn, type AuthorityNames, type IssuingAuthorityInput } from '../../domain/issuing-authority.js';
import { ISSUING_AUTHORITIES } from '../../referential/issuing-authorities.js';

/** Given the referential’s names, when a certificate of this kind, region and date is printed, then it names this authority (or refuses). */
const given = (names: AuthorityNames) => ({
  when: (input: Partial<IssuingAuthorityInput>) => {
    const run = () => issuingAuthority({ kind: 'titre', certifier: "Ministère chargé de l'emploi", ofTheState: true, region: 'Bretagne', issuedOn: '2025-06-30', ...input }, names);
    return {
      thenIssues: (expected: { header?: string; issuedBy?: string | RegExp }) => {
        const authority = run();
        if (expected.header !== undefined) expect(authority.header).toBe(expected.header);
        if (typeof expected.issuedBy === 'string') expect(authority.issuedBy).toBe(expected.issuedBy);
        else if (expected.issuedBy) expect(authority.issuedBy).toMatch(expected.issuedBy);
      },
      thenRefused: (code: string) => {
        let error: unknown;
        try {
          run();
        } catch (e) {
          error = e;
        }
        expect(error, `expected a refusal ${code}`).toBeInstanceOf(DomainError);
        expect((error as DomainError).code).toBe(code);
      },
    };
  },
});

const referential = given(ISSUING_AUTHORITIES);

describe('the issuing authority as named on the issue date', () => {
  it('the name in force on a day is the last one that took effect on or before it (boundary days included)', () => {
    const names = [
      { from: '2020-07-06', name: 'A' },
      { from: '2022-05-20', name: 'B' },
    ];
    expect(nameOn(names, '2020-07-06', 'x')).toBe('A');
    expect(nameOn(names, '2022-05-19', 'x')).toBe('A');
    expect(nameOn(names, '2022-05-20', 'x')).toBe('B');
    expect(nameOn(names, '2099-01-01', 'x')).toBe('B');
  });

  it('a date before the first name is refused (issuing-authority-unknown), never guessed', () => {
    expect(() => nameOn([{ from: '2020-07-06', name: 'A' }], '2020-07-05', 'x')).toThrow(DomainError);
    referential.when({ issuedOn: '2015-09-01' }).thenRefused('issuing-authority-unknown');
    // The ministry is named from September 2015, the 18 regions' services only from 2016.
    referential.when({ issuedOn: '2015-12-31' }).thenRefused('issuing-authority-unknown');
  });

  it('names out of date order are a broken referential, not a silent pick', () => {
    expect(() =>
      nameOn(
        [
          { from: '2022-05-20', name: 'B' },
          { from: '2020-07-06', name: 'A' },
        ],
        '2023-01-01',
        'x',
      ),
    ).toThrow(/not in date order/);
  });

  it('a TP titre issued the day before a government changed names the outgoing ministry; the day it changed, the new one', () => {
    referential.when({ issuedOn: '2022-05-19' }).thenIssues({ header: "Ministère du Travail, de l'Emploi et de l'Insertion" });
    referential.when({ issuedOn: '2022-05-20' }).thenIssues({ header: "Ministère du Travail, du Plein emploi et de l'Insertion" });
    referential.when({ issuedOn: '2024-01-10' }).thenIssues({ header: "Ministère du Travail, du Plein emploi et de l'Insertion" });
    referential.when({ issuedOn: '2024-01-11' }).thenIssues({ header: 'Ministère du Travail, de la Santé et des Solidarités' });
    referential.when({ issuedOn: '2025-10-12' }).thenIssues({ header: 'Ministère du Travail et des Solidarités' });
  });

  it('a TP titre is issued « au nom de l’État » by the regional service of the jury’s region: DIRECCTE until 31 March 2021, DREETS from 1 April 2021', () => {
    referential.when({ issuedOn: '2021-03-31' }).thenIssues({ issuedBy: /^Délivré au nom de l'État par la DIRECCTE Bretagne \(direction régionale des entreprises/ });
    referential.when({ issuedOn: '2021-04-01' }).thenIssues({
      issuedBy: "Délivré au nom de l'État par la DREETS Bretagne (direction régionale de l'économie, de l'emploi, du travail et des solidarités)",
    });
  });

  it('Île-de-France has its DRIEETS, the overseas regions their DEETS, Guyane its direction générale des populations', () => {
    referential.when({ region: 'Île-de-France', issuedOn: '2023-03-01' }).thenIssues({ issuedBy: /par la DRIEETS Île-de-France \(direction régionale et interdépartementale/ });
    referential.when({ region: 'La Réunion', issuedOn: '2023-03-01' }).thenIssues({ issuedBy: /par la DEETS La Réunion \(direction de l'économie/ });
    referential.when({ region: 'Guyane', issuedOn: '2019-12-31' }).thenIssues({ issuedBy: /par la DIECCTE Guyane/ });
    referential.when({ region: 'Guyane', issuedOn: '2020-01-01' }).thenIssues({ issuedBy: "Délivré au nom de l'État par la direction générale des populations de Guyane" });
  });

  it('a CCP is recorded in the livret de certification the regional service issues, not « au nom de l’État »', () => {
    referential.when({ kind: 'ccp', issuedOn: '2025-06-30' }).thenIssues({ issuedBy: /^Délivré par la DREETS Bretagne .*, au livret de certification$/ });
  });

  it('a private certifier issues in its own name, whatever the date (no State, no region needed)', () => {
    referential.when({ ofTheState: false, certifier: 'Organisme certificateur privé', region: undefined, issuedOn: '2010-01-01' }).thenIssues({
      header: 'Organisme certificateur privé',
      issuedBy: 'Délivré par Organisme certificateur privé',
    });
  });

  it('a TP whose region is not known is refused rather than issued by nobody', () => {
    referential.when({ region: undefined }).thenRefused('issuing-authority-unknown');
    referential.when({ region: '  ' }).thenRefused('issuing-authority-unknown');
  });

  it('the referential’s names are each in date order, from a date, non-empty', () => {
    for (const list of [ISSUING_AUTHORITIES.ministry, ...Object.values(ISSUING_AUTHORITIES.regional)]) {
      expect(list.length).toBeGreaterThan(0);
      for (let i = 0; i < list.length; i++) {
        expect(list[i]!.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(list[i]!.name.trim()).not.toBe('');
        if (i > 0) expect(list[i]!.from > list[i - 1]!.from).toBe(true);
      }
    }
  });
});
