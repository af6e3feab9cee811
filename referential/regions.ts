/**
 * The 18 regions of France (13 in metropolitan France, 5 overseas), with their INSEE codes (code officiel
 * géographique, 2016 reform). A DREETS is one per region (a DEETS overseas), so a region is both where a centre is
 * and what an agent acts for. Data only, no import: the pages bundle it as the API does.
 */
export const REGIONS = [
  { code: '01', name: 'Guadeloupe' },
  { code: '02', name: 'Martinique' },
  { code: '03', name: 'Guyane' },
  { code: '04', name: 'La Réunion' },
  { code: '06', name: 'Mayotte' },
  { code: '11', name: 'Île-de-France' },
  { code: '24', name: 'Centre-Val de Loire' },
  { code: '27', name: 'Bourgogne-Franche-Comté' },
  { code: '28', name: 'Normandie' },
  { code: '32', name: 'Hauts-de-France' },
  { code: '44', name: 'Grand Est' },
  { code: '52', name: 'Pays de la Loire' },
  { code: '53', name: 'Bretagne' },
  { code: '75', name: 'Nouvelle-Aquitaine' },
  { code: '76', name: 'Occitanie' },
  { code: '84', name: 'Auvergne-Rhône-Alpes' },
  { code: '93', name: "Provence-Alpes-Côte d'Azur" },
  { code: '94', name: 'Corse' },
] as const;

export type RegionName = (typeof REGIONS)[number]['name'];

export const REGION_NAMES = REGIONS.map((r) => r.name) as unknown as readonly [RegionName, ...RegionName[]];

/** The regions in the order French readers expect them: alphabetical, accents ignored. */
export const regionsAlphabetically = () => [...REGIONS].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
