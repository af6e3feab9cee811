import type { AuthorityNames } from '../domain/issuing-authority.js';

/**
 * Who issued a titre professionnel, as named on each date (domain/issuing-authority.ts reads it). Data only, with
 * each entry's sources and assumptions next to it; the named PDF prints the names in force on the issue date.
 *
 * Assumptions for every entry:
 * - A ministry's name takes effect on the day the government is appointed (the décret relatif à la composition du
 *   Gouvernement, published the next day); the décret d'attributions comes later and does not change the name.
 * - The entries start with the 2 September 2015 appointment; a TP issued before is refused, not guessed (the ledger
 *   starts later). The regional services start on 1 January 2016, when the 18 regions the ledger uses came into
 *   being (loi 2015-29): before, the regions and their DIRECCTE were others.
 */
export const ISSUING_AUTHORITIES = {
  ministry: [
    {
      from: '2015-09-02',
      name: "Ministère du Travail, de l'Emploi, de la Formation professionnelle et du Dialogue social",
      // liberation.fr/politiques/2015/09/02/myriam-el-khomri-nommee-ministre-du-travail_1374246 (the Élysée: « nommée
      // ministre du Travail, de l'Emploi, de la Formation Professionnelle et du Dialogue social », 2 Sept 2015);
      // legifrance JORFTEXT000034637279 (arrêté du 4 mai 2017 signed « La ministre du travail, de l'emploi, de la
      // formation professionnelle et du dialogue social »).
    },
    {
      from: '2017-05-17',
      name: 'Ministère du Travail',
      // francesoir.fr « Muriel Pénicaud a été nommée ce mercredi [17 mai 2017] ministre du Travail »;
      // actualites-de-la-formation.eu « Muriel Pénicaud succède à Myriam El Khomri à la tête du ministère du Travail ».
    },
    {
      from: '2020-07-06',
      name: "Ministère du Travail, de l'Emploi et de l'Insertion",
      // perspectivesmed.com: the Castex government « dévoilé lundi 6 juillet 2020 », « Elisabeth Borne, ministre du
      // Travail, de l'Emploi, et de l'Insertion »; vie-publique.fr/discours/282977 (« ministre du travail, de l'emploi
      // et de l'insertion »).
    },
    {
      from: '2022-05-20',
      name: "Ministère du Travail, du Plein emploi et de l'Insertion",
      // centre-inffo.fr (« Olivier Dussopt a été nommé ministre du Travail, du Plein emploi et de l'Insertion, vendredi
      // 20 mai »); legifrance JORFTEXT000046029320 (arrêté du 4 juillet 2022, « Le ministre du travail, du plein emploi
      // et de l'insertion »); defi-metiers.fr (décret d'attributions, JO du 2 juin 2022).
    },
    {
      from: '2024-01-11',
      name: 'Ministère du Travail, de la Santé et des Solidarités',
      // egora.fr 11/01/2024 « Catherine Vautrin nommée ministre du Travail, de la Santé et des Solidarités »;
      // centre-inffo.fr (décret d'attributions du 24 janvier 2024, JO du 25 janvier).
    },
    {
      from: '2024-09-21',
      name: "Ministère du Travail et de l'Emploi",
      // centre-inffo.fr (via press-gpt.olfp.net): « a nommé Astrid Panosyan-Bouvet au poste de ministre du Travail et
      // de l'Emploi, samedi 21 septembre »; agcr-expertise.fr (gouvernement Barnier).
    },
    {
      from: '2024-12-23',
      name: 'Ministère du Travail, de la Santé, des Solidarités et des Familles',
      // centre-inffo.fr/?p=487775 (gouvernement Bayrou « annoncée le 23 décembre »; « Le champ de la famille est ajouté
      // dans la dénomination du ministère »; décrets du 8 janvier 2025); liberation.fr 23/12/2024.
    },
    {
      from: '2025-10-05',
      name: "Ministère du Travail, de la Santé, des Solidarités, des Familles, de l'Autonomie et des Personnes handicapées",
      // l-actualite.com « dévoilé ce dimanche 5 octobre »: Catherine Vautrin reconduite, « un superministère
      // englobant le Travail, la Santé, les Solidarités, les Familles, l'Autonomie et le Handicap »; centre-inffo.fr
      // (via press-gpt.olfp.net) « ministre du travail, de la santé, des solidarités, des familles, de l'autonomie et des
      // personnes handicapées ». Assumption: in force until the next government, although it resigned the next day.
    },
    {
      from: '2025-10-12',
      name: 'Ministère du Travail et des Solidarités',
      // lemediasocial.fr 13/10/2025 (gouvernement Lecornu II présenté le 12 octobre: « Jean-Pierre Farandou est nommé au
      // Travail et aux Solidarités »); liberation.fr 12/10/2025 « nommé ministre du Travail et des Solidarités ».
    },
  ],
  regional: {
    // legifrance JORFTEXT000042636412 (décret 2020-1545 du 9 décembre 2020, in force 1 April 2021: the DREETS take over
    // the DIRECCTE's missions); benefiz.fr, espace-ace.fr (DRIEETS in Île-de-France, DEETS overseas).
    metropolitan: [
      { from: '2016-01-01', name: "DIRECCTE {region} (direction régionale des entreprises, de la concurrence, de la consommation, du travail et de l'emploi)" },
      { from: '2021-04-01', name: "DREETS {region} (direction régionale de l'économie, de l'emploi, du travail et des solidarités)" },
    ],
    ileDeFrance: [
      { from: '2016-01-01', name: "DIRECCTE {region} (direction régionale des entreprises, de la concurrence, de la consommation, du travail et de l'emploi)" },
      { from: '2021-04-01', name: "DRIEETS {region} (direction régionale et interdépartementale de l'économie, de l'emploi, du travail et des solidarités)" },
    ],
    // preventech.net: the DEETS « en Guadeloupe, en Martinique, à Mayotte et à la Réunion ». Assumption: before them,
    // the overseas DIECCTE (direction des entreprises, … du travail et de l'emploi), the DIRECCTE's overseas form.
    overseas: [
      { from: '2016-01-01', name: "DIECCTE {region} (direction des entreprises, de la concurrence, de la consommation, du travail et de l'emploi)" },
      { from: '2021-04-01', name: "DEETS {region} (direction de l'économie, de l'emploi, du travail et des solidarités)" },
    ],
    // centre-inffo.fr « Réorganisation des services de l'Etat en Guyane » and guyaweb.com (décret 2019-894 du 28 août
    // 2019, in force 1 January 2020): the employment missions go to the « direction générale des populations ».
    // Assumption: its name did not change since (not verified after 2021).
    guyane: [
      { from: '2016-01-01', name: "DIECCTE {region} (direction des entreprises, de la concurrence, de la consommation, du travail et de l'emploi)" },
      { from: '2020-01-01', name: 'direction générale des populations de {region}' },
    ],
  },
} as const satisfies AuthorityNames;
