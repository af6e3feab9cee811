// /certificateurs: the certifiers' console. A centre schedules sessions, constitutes juries and enrols candidates;
// a juror assesses, deliberates and signs; a DREETS agent registers centres and jurors and validates the PV.
import { ApiError, getJson, send } from '../lib/api.js';
import { roleLabels, type Identity } from '../lib/auth.js';
import { button, byId, choiceGroup, field, focusOn, form, h, markInvalid, replaceChildren, selectField, showError, showSuccess, table, text, type Child } from '../lib/dom.js';
import { defaultVersion, openToday, regionOptions } from '../lib/choices.js';
import { formLabels, markRefusedFields, refusalContent, showRefusal } from '../lib/feedback.js';
import { dateProblem, GrantRefused, twoStepRegistration } from '../lib/two-step-registration.js';
import { connectedAs, dateFr, deFr, instantFr, outcomeLabels, resultLabels, routeLabels, sessionKindLabels, shortId } from '../lib/format.js';
import { initLayout, requireRole, showSignedInName } from '../lib/layout.js';
import type { ApiAnswer } from '../lib/wire.js';

interface Competence {
  code: string;
  title: string;
}
interface Certification {
  rncp: string;
  title: string;
  level: number;
  validFrom: string;
  validUntil: string;
  accessRoutes: { allowed: string[]; refused: string[] };
  jury: { minMembers: number; minIndependent: number };
  blocs: { code: string; title: string; competences: Competence[] }[];
}
interface CatalogueEntry {
  rncp: string;
  title: string;
  validFrom: string;
  validUntil: string;
  blocs: { code: string; title: string }[];
}
type CentreSessions = ApiAnswer<'GET /centres/{centreId}/sessions'>;
type SessionLine = CentreSessions[number];
type SessionView = ApiAnswer<'GET /sessions/{sessionId}'>;
type Deliberation = SessionView['deliberations'][number];
type JurorLine = ApiAnswer<'GET /jurors'>[number];
type CentreCandidate = ApiAnswer<'GET /centres/{centreId}/candidates'>[number];

/** A person as the pages name them: "Léa Durand", or the id when the name was erased. */
const candidateName = (c: { candidateId: string; familyName?: string | null; givenNames?: string | null }) =>
  c.familyName ? `${c.givenNames ?? ''} ${c.familyName}`.trim() : `personne effacée (${shortId(c.candidateId)})`;
const jurorName = (m: { jurorId: string; name?: string | null }) => m.name ?? `juré ${shortId(m.jurorId)}`;
/** Another juror of the session by name, as the session's jury lists them. */
const otherJuror = (s: { jury: readonly { jurorId: string; name?: string | null }[] }, jurorId: string) => {
  const member = s.jury.find((m) => m.jurorId === jurorId);
  return member?.name ?? 'un autre membre du jury';
};

const app = byId('app');
initLayout();
const who = requireRole(app, ['centre', 'juror', 'dreets'], 'La console des certificateurs');

const certifications = new Map<string, Promise<Certification>>();
const certification = (rncp: string) => {
  if (!certifications.has(rncp)) certifications.set(rncp, getJson<Certification>(`/certifications/${encodeURIComponent(rncp)}`, { auth: false }));
  return certifications.get(rncp)!;
};
let catalogue: Promise<CatalogueEntry[]> | undefined;
const listCertifications = () => (catalogue ??= getJson<CatalogueEntry[]>('/certifications', { auth: false }));

const enc = encodeURIComponent;

// --- The session being worked on: a live region that survives re-rendering, and the rendered detail. ---
const sessionStatus = h('div', { 'aria-live': 'polite', class: 'session-status' });
const sessionBody = h('div');
const sessionSection = h('section', { id: 'session', 'aria-labelledby': 'session-titre', hidden: true }, sessionStatus, sessionBody);
let openedId: string | undefined;

let openedPosition = 0;
let lastView: SessionView | undefined;
/** What the centre picks from in the open session's forms. */
const pickable: { jurors: JurorLine[]; candidates: CentreCandidate[] } = { jurors: [], candidates: [] };

/** The session's read model, once it reflects a write past `after` (the read models follow the ledger within moments). */
async function readSession(sessionId: string, after: number | undefined): Promise<SessionView> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    let view: SessionView | undefined;
    try {
      view = await getJson<SessionView>(`/sessions/${enc(sessionId)}`);
    } catch (error) {
      // A session just scheduled may not be readable yet.
      if (!(after === 0 && error instanceof ApiError && error.problem.status === 404 && Date.now() < deadline)) throw error;
    }
    if (view && (after === undefined || view.position > after || Date.now() > deadline)) return view;
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
}

async function openSession(sessionId: string, options: { message?: string; focus?: string; errorArea?: HTMLElement; after?: number } = {}) {
  let view: SessionView;
  let cert: Certification;
  try {
    view = await readSession(sessionId, options.after);
    cert = await certification(view.rncp);
    // The centre picks jurors and candidates by name: the habilitated jurors and its candidates, read now.
    if (who!.roles.includes('centre') && view.centreId === who!.ledgerId && view.pv.status === 'open') {
      [pickable.jurors, pickable.candidates] = await Promise.all([
        getJson<JurorLine[]>(`/jurors?rncp=${enc(view.rncp)}`),
        getJson<CentreCandidate[]>(`/centres/${enc(view.centreId)}/candidates`),
      ]);
    }
  } catch (error) {
    if (options.errorArea) showRefusal(options.errorArea, error);
    else {
      sessionSection.hidden = false;
      replaceChildren(sessionBody);
      showRefusal(sessionStatus, error);
    }
    return;
  }
  const sameSession = openedId === sessionId;
  openedId = sessionId;
  openedPosition = view.position;
  lastView = view;
  const url = new URL(location.href);
  url.searchParams.set('session', sessionId);
  history.replaceState(null, '', url);
  sessionSection.hidden = false;
  // What a juror ticked in the other grids and has not saved yet survives the redraw that follows a save.
  const ticked = sameSession ? [...sessionBody.querySelectorAll<HTMLInputElement>('input[type=radio]:checked:enabled')].map((r) => r.id) : [];
  replaceChildren(sessionBody, renderSession(view, cert, who!));
  for (const id of ticked) {
    const radio = document.getElementById(id);
    if (radio instanceof HTMLInputElement && !radio.disabled) radio.checked = true;
  }
  if (options.message) showSuccess(sessionStatus, options.message);
  else replaceChildren(sessionStatus);
  const target = (options.focus && sessionBody.querySelector<HTMLElement>(options.focus)) || byId('session-titre');
  focusOn(target);
}

/** The lists above the session (the centre's sessions, with their counts), told when a write changed the session. */
const sessionListeners: ((view: SessionView) => Promise<void>)[] = [];

/** Runs a write, then shows the session again with the outcome; a refusal stays in the form's message area. */
async function act(area: HTMLElement, write: () => Promise<unknown>, message: string, focus?: string) {
  try {
    await write();
  } catch (error) {
    showRefusal(area, error);
    return;
  }
  await openSession(openedId!, { message, focus, after: openedPosition });
  if (lastView) await Promise.all(sessionListeners.map((refresh) => refresh(lastView!)));
}

// --- Rendering of a session ---
function renderSession(s: SessionView, cert: Certification, me: Identity): Child {
  const isCentre = me.roles.includes('centre') && s.centreId === me.ledgerId;
  const isDreets = me.roles.includes('dreets');
  const isJuror = me.roles.includes('juror') && s.jury.some((m) => m.jurorId === me.ledgerId);
  const open = s.pv.status === 'open';
  const blocTitle = (code: string) => cert.blocs.find((b) => b.code === code)?.title ?? code;
  return [
    h(
      'div',
      { class: 'card' },
      h('h2', { id: 'session-titre', tabindex: -1 }, `${sessionKindLabels[s.kind]} du ${dateFr(s.startsOn)}${s.endsOn !== s.startsOn ? ` au ${dateFr(s.endsOn)}` : ''}`),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Certification'),
        h('dd', null, `${cert.title} (`, h('code', null, s.rncp), ')'),

        h('dt', null, 'Blocs évalués'),
        h(
          'dd',
          null,
          h(
            'ul',
            null,
            s.blocs.map((b) => h('li', null, h('code', null, b), ` — ${blocTitle(b)}`)),
          ),
        ),
        h('dt', null, 'Procès-verbal'),
        h('dd', null, open ? h('span', { class: 'badge neutral' }, 'Ouvert') : h('span', { class: 'badge ok' }, `Validé le ${dateFr(s.pv.validatedOn)}`)),
      ),
      h('p', { class: 'actions' }, button('Actualiser la session', { class: 'button small', onclick: () => void openSession(s.sessionId, { message: 'Session actualisée.' }) })),
    ),
    juryPart(s, cert, isCentre && open),
    candidatesPart(s, cert, isCentre && open),
    isJuror ? jurorPart(s, cert, me.ledgerId, open) : null,
    deliberationsPart(s),
    isDreets ? pvPart(s) : null,
  ];
}

function juryPart(s: SessionView, cert: Certification, editable: boolean) {
  const rule = `La certification exige au moins ${cert.jury.minMembers} membres${cert.jury.minIndependent ? `, dont ${cert.jury.minIndependent} indépendant${cert.jury.minIndependent > 1 ? 's' : ''} du certificateur` : ''}.`;
  const area = h('div', { 'aria-live': 'polite' });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'jury-titre' },
    h('h3', { id: 'jury-titre' }, 'Jury'),
    s.jury.length
      ? h(
          'ul',
          null,
          s.jury.map((m) => h('li', null, jurorName(m), m.independent ? ' — indépendant du certificateur' : '')),
        )
      : h('p', null, 'Aucun jury n’est encore constitué.'),
    h('p', { class: 'muted' }, rule),
    editable
      ? form(
          {
            submit: s.jury.length ? 'Modifier le jury' : 'Constituer le jury',
            label: 'Constitution du jury',
            async action(data, _f, formArea) {
              const members = data.getAll('members').map(String);
              await act(formArea, () => send('PUT', `/sessions/${enc(s.sessionId)}/jury`, { members }), `Jury constitué : ${members.length} membres.`, '#jury-titre');
            },
          },
          pickable.jurors.length
            ? choiceGroup({
                legend: 'Membres du jury',
                name: 'members',
                hint: `Les jurés habilités pour ${s.rncp} par la DREETS, avec leur habilitation.`,
                options: pickable.jurors.map((j) => {
                  const hab = j.habilitations.find((x) => x.rncp === s.rncp);
                  return {
                    value: j.jurorId,
                    label: `${jurorName(j)}${j.independent ? ', indépendant du certificateur' : ''}${hab ? ` — habilité du ${dateFr(hab.validFrom)} au ${dateFr(hab.validUntil)}` : ''}`,
                    checked: s.jury.some((m) => m.jurorId === j.jurorId),
                  };
                }),
              })
            : h('p', null, `Aucun juré n’est habilité pour ${s.rncp} : demandez à la DREETS d’en habiliter.`),
        )
      : null,
    area,
  );
}

function candidatesPart(s: SessionView, cert: Certification, editable: boolean) {
  const deliberationOf = (id: string) => s.deliberations.find((d) => d.candidateId === id && !d.annulled);
  const state = (id: string) => {
    const d = deliberationOf(id);
    if (!d) return 'Pas encore délibéré';
    return `${outcomeLabels[d.outcome] ?? d.outcome}${d.final ? ' (définitif)' : ' (proposé, signatures en cours)'}`;
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'candidats-titre' },
    h('h3', { id: 'candidats-titre' }, `Candidats inscrits (${s.candidates.length})`),
    s.candidates.length
      ? table({
          caption: 'Candidats inscrits à la session',
          captionHidden: true,
          headers: ['N°', 'Candidat', 'Voie d’accès', 'Blocs présentés', 'Délibération'],
          rows: s.candidates.map((c, i) => [String(i + 1), candidateName(c), routeLabels[c.route] ?? c.route, c.blocs.join(', '), state(c.candidateId)]),
        })
      : h('p', null, 'Aucun candidat n’est encore inscrit.'),
    editable ? enrolForm(s, cert) : null,
  );
}

function enrolForm(s: SessionView, cert: Certification) {
  const allowed = cert.accessRoutes.allowed.map((r) => routeLabels[r] ?? r).join(', ');
  return h(
    'div',
    null,
    h('h4', null, 'Inscrire un candidat à la session'),
    form(
      {
        submit: 'Inscrire à la session',
        label: 'Inscription d’un candidat à la session',
        async action(data, _f, area) {
          const blocs = data.getAll('blocs').map(String);
          const body = { candidateId: text(data, 'candidateId'), route: text(data, 'route'), ...(s.kind === 'ccp' && blocs.length ? { blocs } : {}) };
          const picked = pickable.candidates.find((c) => c.candidateId === body.candidateId);
          await act(
            area,
            () => send('POST', `/sessions/${enc(s.sessionId)}/enrolments`, body),
            `Inscription de ${picked ? candidateName(picked) : 'la personne choisie'} enregistrée (${routeLabels[body.route]}).`,
            '#candidats-titre',
          );
        },
      },
      h(
        'div',
        { class: 'form-row' },
        selectField({
          label: 'Candidat',
          name: 'candidateId',
          required: true,
          hint: 'Les candidats que le centre a enregistrés et qui ne sont pas encore inscrits.',
          options: pickable.candidates
            .filter((c) => c.familyName && !s.candidates.some((e) => e.candidateId === c.candidateId))
            .map((c) => ({ value: c.candidateId, label: candidateName(c) })),
        }),
        selectField({
          label: 'Voie d’accès',
          name: 'route',
          required: true,
          hint: `Ouvertes pour cette certification : ${allowed}.`,
          // Only the routes this version opens: the API would refuse the others (route-not-allowed).
          options: cert.accessRoutes.allowed.map((value) => ({ value, label: routeLabels[value] ?? value })),
        }),
      ),
      s.kind === 'ccp'
        ? choiceGroup({
            legend: 'Blocs présentés',
            name: 'blocs',
            hint: 'Sans choix, le candidat présente tous les blocs de la session.',
            options: s.blocs.map((b) => ({ value: b, label: b })),
          })
        : null,
    ),
  );
}

function deliberationsPart(s: SessionView) {
  const members = s.jury.length;
  const numberOf = (id: string) => s.candidates.findIndex((c) => c.candidateId === id) + 1;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'deliberations-titre' },
    h('h3', { id: 'deliberations-titre' }, 'Délibérations et signatures'),
    s.deliberations.length
      ? table({
          caption: 'Délibérations de la session',
          captionHidden: true,
          headers: ['Candidat', 'Décision', 'Blocs acquis', 'Signatures', 'État'],
          rows: s.deliberations.map((d) => {
            const recused = s.recusals.filter((r) => r.candidateId === d.candidateId).length;
            return [
              `N°${numberOf(d.candidateId)} : ${candidateName(s.candidates.find((c) => c.candidateId === d.candidateId) ?? { candidateId: d.candidateId })}`,
              outcomeLabels[d.outcome] ?? d.outcome,
              d.blocs.length ? d.blocs.join(', ') : '—',
              `${d.signatures.length} sur ${members - recused}`,
              d.annulled
                ? h('span', { class: 'badge ko' }, 'Annulée')
                : d.final
                  ? h('span', { class: 'badge ok' }, 'Définitive')
                  : h('span', { class: 'badge warn' }, 'En attente de signatures'),
            ];
          }),
        })
      : h('p', null, 'Aucune délibération n’est encore proposée.'),
  );
}

function pvPart(s: SessionView) {
  const area = h('div', { 'aria-live': 'polite' });
  const pending = s.candidates.filter((c) => !s.deliberations.some((d) => d.candidateId === c.candidateId && d.final && !d.annulled));
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'pv-titre' },
    h('h3', { id: 'pv-titre' }, 'Procès-verbal'),
    s.pv.status === 'validated'
      ? h(
          'p',
          null,
          h('span', { class: 'badge ok' }, 'Validé'),
          ` le ${dateFr(s.pv.validatedOn)} par `,
          h('code', null, s.pv.validatedBy ?? '—'),
          '. Les CCP, titres et certificats sont délivrés aux candidats.',
        )
      : [
          h(
            'p',
            null,
            'La validation du procès-verbal par la DREETS donne effet aux décisions du jury : le registre délivre alors les CCP, les titres et les certificats, et prévient les candidats.',
          ),
          pending.length
            ? h('p', { class: 'muted' }, `${pending.length} candidat(s) sans délibération définitive.`)
            : h('p', { class: 'muted' }, 'Toutes les délibérations sont définitives.'),
          h(
            'p',
            { class: 'actions' },
            button('Valider le procès-verbal', {
              class: 'button primary',
              onclick: () =>
                void act(
                  area,
                  () => send('POST', `/sessions/${enc(s.sessionId)}/pv-validation`),
                  'Procès-verbal validé : la délivrance des certificats est en cours.',
                  '#pv-titre',
                ),
            }),
          ),
        ],
    area,
  );
}

// --- A juror's work: per candidate, the assessment grid, the deliberation and the signature, the recusal ---
function jurorPart(s: SessionView, cert: Certification, jurorId: string, open: boolean) {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'grille-titre' },
    h('h3', { id: 'grille-titre' }, 'Évaluer les candidats'),
    h(
      'p',
      null,
      'Pour chaque candidat, enregistrez le résultat de chaque compétence, bloc par bloc, puis proposez ou signez la délibération. Si vous connaissez un candidat, récusez-vous avant de l’évaluer.',
    ),
    s.candidates.length ? s.candidates.map((c, i) => candidateWork(s, cert, jurorId, c, i + 1, open)) : h('p', null, 'Aucun candidat n’est inscrit.'),
  );
}

function candidateWork(s: SessionView, cert: Certification, jurorId: string, c: SessionView['candidates'][number], n: number, open: boolean) {
  const anchor = `candidat-${c.candidateId}`;
  const recusal = s.recusals.find((r) => r.jurorId === jurorId && r.candidateId === c.candidateId);
  const heading = h('h4', { id: anchor, tabindex: -1 }, `Candidat n°${n} : ${candidateName(c)}`);
  if (recusal) {
    return h(
      'div',
      { class: 'candidate-block', role: 'group', 'aria-labelledby': anchor },
      heading,
      h(
        'p',
        null,
        h('span', { class: 'badge neutral' }, 'Récusé'),
        ` Vous vous êtes récusé pour ce candidat le ${instantFr(recusal.recordedAt)}. Vous ne l’évaluez pas et ne signez pas sa délibération.`,
      ),
    );
  }
  const deliberation = s.deliberations.find((d) => d.candidateId === c.candidateId && !d.annulled);
  return h(
    'div',
    { class: 'candidate-block', role: 'group', 'aria-labelledby': anchor },
    heading,
    h('p', { class: 'muted' }, `Voie d’accès : ${routeLabels[c.route] ?? c.route}. Blocs présentés : ${c.blocs.join(', ')}.`),
    c.blocs.map((bloc) => assessmentForm(s, cert, jurorId, c.candidateId, n, bloc, open)),
    deliberation ? deliberationSummary(s, jurorId, deliberation, n, open) : open ? proposalForm(s, c, n) : null,
    open && !deliberation && !s.assessments.some((a) => a.jurorId === jurorId && a.candidateId === c.candidateId) ? recusalForm(s, c.candidateId, n) : null,
  );
}

function assessmentForm(s: SessionView, cert: Certification, jurorId: string, candidateId: string, n: number, bloc: string, open: boolean) {
  const def = cert.blocs.find((b) => b.code === bloc);
  const mine = s.assessments.find((a) => a.jurorId === jurorId && a.candidateId === candidateId && a.bloc === bloc);
  const others = new Set(s.assessments.filter((a) => a.candidateId === candidateId && a.bloc === bloc).map((a) => a.jurorId));
  const resultOf = (code: string) => mine?.competences.find((x) => x.code === code)?.result;
  const rows = (def?.competences ?? []).map((comp) => {
    const legendId = `${candidateId}-${comp.code}`;
    return h(
      'tr',
      null,
      h('th', { scope: 'row', id: legendId }, h('code', null, comp.code), ` ${comp.title}`),
      h(
        'td',
        null,
        h(
          'fieldset',
          { class: 'radio-pair' },
          h('legend', { class: 'sr-only' }, `Candidat n°${n}, ${comp.code} : ${comp.title}`),
          ['acquis', 'non_acquis'].map((result) => {
            const id = `${candidateId}-${comp.code}-${result}`;
            return h(
              'label',
              { for: id },
              // One radio group per candidate and competence: grouped by the code alone, the grids of all candidates
              // shared one group, so each showed only one result (after the PV) and a save wiped the others.
              h('input', { type: 'radio', id, name: `${candidateId}|${comp.code}`, value: result, checked: resultOf(comp.code) === result, disabled: !open }),
              resultLabels[result],
            );
          }),
        ),
      ),
    );
  });
  const grid = h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: 'grid-table' },
      h('caption', null, `Bloc ${bloc} — ${def?.title ?? ''}`),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, 'Compétence'), h('th', { scope: 'col' }, 'Résultat'))),
      h('tbody', null, rows),
    ),
  );
  const status = h(
    'p',
    { class: 'muted' },
    mine ? `Votre évaluation est enregistrée (${instantFr(mine.recordedAt)}).` : 'Pas encore évalué par vous.',
    ` Jurés ayant évalué ce bloc : ${others.size} sur ${s.jury.length}.`,
  );
  if (!open) return h('div', null, grid, status);
  return form(
    {
      submit: `Enregistrer l’évaluation du bloc ${bloc}`,
      label: `Évaluation du bloc ${bloc}, candidat n°${n}`,
      async action(data, _f, area) {
        const competences = (def?.competences ?? []).flatMap((comp) => {
          const result = data.get(`${candidateId}|${comp.code}`);
          return result ? [{ code: comp.code, result: String(result) }] : [];
        });
        if (!competences.length) {
          showError(area, h('p', null, 'Choisissez « Acquis » ou « Non acquis » pour au moins une compétence.'));
          return;
        }
        await act(
          area,
          () => send('POST', `/sessions/${enc(s.sessionId)}/assessments`, { candidateId, bloc, competences }),
          `Évaluation du bloc ${bloc} enregistrée pour le candidat n°${n}.`,
          `#candidat-${candidateId}`,
        );
      },
    },
    grid,
    status,
  );
}

function proposalForm(s: SessionView, c: SessionView['candidates'][number], n: number) {
  // A CCP session issues the titre too, to a candidate whose last missing bloc it examines (capitalisation).
  const outcomes = (s.kind === 'titre' ? ['titre', 'ccp', 'ajourne', 'absent', 'exclu'] : ['ccp', 'titre', 'ajourne', 'absent', 'exclu']).map((o) => ({
    value: o,
    label: outcomeLabels[o]!,
  }));
  return h(
    'div',
    null,
    h('h5', { class: 'h5' }, 'Délibération'),
    h(
      'p',
      null,
      'Aucune délibération n’est proposée pour ce candidat. Celle que vous proposez porte votre signature ; elle devient définitive quand tous les membres non récusés l’ont signée.',
    ),
    form(
      {
        submit: 'Proposer la délibération',
        label: `Proposition de délibération, candidat n°${n}`,
        async action(data, _f, area) {
          const outcome = text(data, 'outcome');
          const body = {
            candidateId: c.candidateId,
            outcome,
            blocs: outcome === 'titre' || outcome === 'ccp' ? data.getAll('blocs').map(String) : [],
            finalInterviewHeld: data.get('finalInterviewHeld') === 'oui',
          };
          await act(
            area,
            () => send('POST', `/sessions/${enc(s.sessionId)}/deliberations`, body),
            `Délibération proposée et signée pour le candidat n°${n} : ${outcomeLabels[outcome]}.`,
            `#candidat-${c.candidateId}`,
          );
        },
      },
      selectField({ label: 'Décision', name: 'outcome', required: true, options: outcomes }),
      choiceGroup({
        legend: 'Blocs acquis',
        name: 'blocs',
        className: 'inline',
        hint: 'Pour « Titre délivré » ou « CCP acquis » seulement.',
        options: c.blocs.map((b) => ({ value: b, label: b })),
      }),
      s.kind === 'titre'
        ? choiceGroup({ legend: 'Entretien final', name: 'finalInterviewHeld', options: [{ value: 'oui', label: 'L’entretien final avec le jury a eu lieu' }] })
        : null,
    ),
  );
}

function deliberationSummary(s: SessionView, jurorId: string, d: Deliberation, n: number, open: boolean) {
  const area = h('div', { 'aria-live': 'polite' });
  const signed = d.signatures.some((x) => x.jurorId === jurorId);
  const eligible = s.jury.length - s.recusals.filter((r) => r.candidateId === d.candidateId).length;
  return h(
    'div',
    null,
    h('h5', { class: 'h5' }, 'Délibération'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Décision proposée'),
      h('dd', null, outcomeLabels[d.outcome] ?? d.outcome),
      h('dt', null, 'Blocs acquis'),
      h('dd', null, d.blocs.length ? d.blocs.join(', ') : 'aucun'),
      s.kind === 'titre' ? [h('dt', null, 'Entretien final'), h('dd', null, d.finalInterviewHeld ? 'tenu' : 'non tenu')] : null,
      h('dt', null, 'Proposée'),
      // The jurors of a session see each other's names (GET /sessions/{id} gives them to its jurors).
      h('dd', null, `${d.proposedBy === jurorId ? 'par vous' : `par ${otherJuror(s, d.proposedBy)}`}, le ${instantFr(d.proposedAt)}`),
      h('dt', null, 'Signatures'),
      h('dd', null, `${d.signatures.length} sur ${eligible}`, d.final ? h('span', null, ' — ', h('span', { class: 'badge ok' }, 'Définitive')) : ''),
    ),
    open && !signed && !d.final
      ? h(
          'p',
          { class: 'actions' },
          button(`Signer la délibération du candidat n°${n}`, {
            class: 'button primary',
            onclick: () =>
              void act(
                area,
                () => send('POST', `/sessions/${enc(s.sessionId)}/deliberations/${enc(d.candidateId)}/signatures`),
                `Délibération du candidat n°${n} signée.`,
                `#candidat-${d.candidateId}`,
              ),
          }),
        )
      : signed
        ? h('p', null, 'Vous avez signé cette délibération.')
        : null,
    area,
  );
}

function recusalForm(s: SessionView, candidateId: string, n: number) {
  return h(
    'details',
    null,
    h('summary', null, `Se récuser pour le candidat n°${n}`),
    form(
      {
        submit: 'Me récuser pour ce candidat',
        label: `Récusation, candidat n°${n}`,
        async action(data, _f, area) {
          await act(
            area,
            () => send('POST', `/sessions/${enc(s.sessionId)}/recusals`, { candidateId, reason: text(data, 'reason') }),
            `Vous êtes récusé pour le candidat n°${n}.`,
            `#candidat-${candidateId}`,
          );
        },
      },
      field({
        label: 'Motif de la récusation',
        name: 'reason',
        type: 'textarea',
        required: true,
        hint: 'Par exemple : « je connais le candidat (ancien collègue) ». Ce motif est conservé avec les données personnelles du candidat.',
        attrs: { maxlength: 1000 },
      }),
    ),
  );
}

// --- Lists and forms above the session ---
function sessionsTable(list: SessionLine[], caption: string) {
  if (!list.length) return h('p', null, 'Aucune session n’est programmée.');
  return table({
    caption,
    headers: ['Dates', 'Certification', 'Type', 'Candidats', 'Jury', 'Délibérations définitives', 'Procès-verbal', 'Action'],
    rows: list.map((s) => [
      s.endsOn !== s.startsOn ? `du ${dateFr(s.startsOn)} au ${dateFr(s.endsOn)}` : dateFr(s.startsOn),
      s.rncp,
      sessionKindLabels[s.kind] ?? s.kind,
      String(s.candidates),
      s.juryMembers ? `${s.juryMembers} membres` : 'à constituer',
      `${s.deliberations.final} sur ${s.candidates}`,
      s.pv.status === 'validated' ? `Validé le ${dateFr(s.pv.validatedOn)}` : 'Ouvert',
      button(
        'Ouvrir',
        { class: 'button small', onclick: () => void openSession(s.sessionId) },
        h('span', { class: 'sr-only' }, ` la session du ${dateFr(s.startsOn)} (${s.rncp})`),
      ),
    ]),
  });
}

function centreSessions(centreId: string) {
  const holder = h('div', null, h('p', null, 'Chargement des sessions…'));
  /** Reads the list, until it shows `expected` (a session just scheduled, or a line as a write left it). */
  const load = async (expected?: string | ((sessions: CentreSessions) => boolean)) => {
    try {
      const deadline = Date.now() + 5_000;
      const [centre, listed] = await Promise.all([
        getJson<ApiAnswer<'GET /centres/{centreId}'>>(`/centres/${enc(centreId)}`),
        getJson<CentreSessions>(`/centres/${enc(centreId)}/sessions`),
      ]);
      const shows = (list: CentreSessions) => (typeof expected === 'function' ? expected(list) : list.some((x) => x.sessionId === expected));
      let sessions = listed;
      while (expected && !shows(sessions) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        sessions = await getJson<CentreSessions>(`/centres/${enc(centreId)}/sessions`);
      }
      replaceChildren(
        holder,
        h('p', null, `${centre.name} — région ${centre.region}.`),
        agrementsList(centre.agrements),
        sessionsTable(sessions, `Sessions du centre ${centre.name}`),
      );
    } catch (error) {
      replaceChildren(holder, h('div', { class: 'message error' }, ...refusalContent(error)));
    }
  };
  // After a write on one of its sessions, the line shows the session's counts as the write left them.
  const refresh = (view: SessionView) =>
    view.centreId === centreId
      ? load((list) => {
          const line = list.find((x) => x.sessionId === view.sessionId);
          return !line || (line.candidates === view.candidates.length && line.juryMembers === view.jury.length && line.pv.status === view.pv.status);
        })
      : Promise.resolve();
  return { holder, load, refresh };
}

function agrementsList(agrements: ApiAnswer<'GET /centres/{centreId}'>['agrements']) {
  return agrements.length
    ? table({
        caption: 'Agréments du centre',
        headers: ['Certification', 'Valable jusqu’au'],
        rows: agrements.map((a) => [a.rncp, dateFr(a.validUntil)]),
      })
    : h('p', null, 'Ce centre n’a encore aucun agrément.');
}

/** The juror's sessions, the latest first: the juror opens one from the list. */
async function jurorSessions(jurorId: string) {
  let body: Child;
  try {
    const list = await getJson<ApiAnswer<'GET /jurors/{jurorId}/sessions'>>(`/jurors/${enc(jurorId)}/sessions`);
    body = list.length
      ? table({
          caption: 'Les sessions dont vous êtes juré',
          headers: ['Dates', 'Centre', 'Certification', 'Type', 'Procès-verbal', 'Action'],
          rows: list.map((s) => [
            s.endsOn !== s.startsOn ? `du ${dateFr(s.startsOn)} au ${dateFr(s.endsOn)}` : dateFr(s.startsOn),
            s.centre.name ?? s.centre.centreId,
            s.rncp,
            sessionKindLabels[s.kind] ?? s.kind,
            s.pv === 'validated' ? 'Validé' : 'Ouvert',
            button(
              'Ouvrir',
              { class: 'button small', onclick: () => void openSession(s.sessionId) },
              h('span', { class: 'sr-only' }, ` la session du ${dateFr(s.startsOn)} (${s.centre.name ?? s.rncp})`),
            ),
          ]),
        })
      : h('p', null, 'Vous ne siégez encore dans aucun jury : le centre qui organise une session vous y inscrit.');
  } catch (error) {
    body = h('div', { class: 'message error' }, ...refusalContent(error));
  }
  return h('section', { class: 'card', 'aria-labelledby': 'mes-sessions-titre' }, h('h2', { id: 'mes-sessions-titre' }, 'Mes sessions'), body);
}

/** The centre's candidates by name (what it enrols them by). */
async function centreCandidates(centreId: string) {
  const holder = h('div');
  /** Reads the list (again, until it has `expected`: the read model follows the write shortly after) and shows it. */
  const show = async (expected?: string) => {
    try {
      const deadline = Date.now() + 5_000;
      let list = await getJson<CentreCandidate[]>(`/centres/${enc(centreId)}/candidates`);
      while (expected && !list.some((c) => c.candidateId === expected) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 150));
        list = await getJson<CentreCandidate[]>(`/centres/${enc(centreId)}/candidates`);
      }
      replaceChildren(
        holder,
        list.length
          ? table({
              caption: 'Candidats enregistrés par le centre',
              captionHidden: true,
              headers: ['Nom', 'Prénoms'],
              rows: list.map((c) => [c.familyName ?? 'données effacées', c.givenNames ?? '—']),
            })
          : h('p', null, 'Aucun candidat n’est encore enregistré.'),
      );
    } catch (error) {
      replaceChildren(holder, h('div', { class: 'message error' }, ...refusalContent(error)));
    }
  };
  await show();
  candidatesChanged = show;
  return h('section', { class: 'card', 'aria-labelledby': 'candidats-centre-titre' }, h('h2', { id: 'candidats-centre-titre' }, 'Les candidats du centre'), holder);
}

/** Set by the centre's list of candidates: a registration shows the new candidate there. */
let candidatesChanged: (candidateId?: string) => Promise<void> = async () => {};

async function certificationOptions() {
  const list = await listCertifications();
  // The versions open today first: a form is filled for what can be done now.
  const ordered = [...list.filter((c) => openToday(c)), ...list.filter((c) => !openToday(c))];
  return ordered.map((c) => ({
    value: c.rncp,
    label: `${c.rncp} — ${c.title} (enregistrée du ${dateFr(c.validFrom)} au ${dateFr(c.validUntil)}${openToday(c) ? '' : ', fermée aujourd’hui'})`,
  }));
}

/** The centre's name, read once (GET /centres/{centreId}): what a reader knows the place by. */
let centreNameRead: Promise<string | undefined> | undefined;
const centreName = (centreId: string) =>
  (centreNameRead ??= getJson<ApiAnswer<'GET /centres/{centreId}'>>(`/centres/${enc(centreId)}`)
    .then((c) => c.name)
    .catch(() => undefined));

/** « du 6 au 10 octobre 2025 — lieu : Centre AFPA Rennes ». */
const sessionWhenAndWhere = (startsOn: string, endsOn: string, place?: string) =>
  `${startsOn === endsOn ? `du ${dateFr(startsOn)}` : `du ${dateFr(startsOn)} au ${dateFr(endsOn)}`}${place ? ` — lieu : ${place}` : ''}`;

async function scheduleForm(centreId: string, reload: (expected?: string) => Promise<void>) {
  const options = await certificationOptions();
  const list = await listCertifications();
  const blocsHolder = h('div');
  const certSelect = selectField({ label: 'Certification', name: 'rncp', required: true, options, value: defaultVersion(list) });
  const showBlocs = () => {
    const rncp = (certSelect.querySelector('select') as HTMLSelectElement).value;
    const entry = list.find((c) => c.rncp === rncp);
    replaceChildren(
      blocsHolder,
      choiceGroup({
        legend: 'Blocs évalués (session CCP seulement)',
        name: 'blocs',
        hint: 'Une session titre évalue tous les blocs.',
        options: (entry?.blocs ?? []).map((b) => ({ value: b.code, label: `${b.code} — ${b.title}` })),
      }),
    );
  };
  certSelect.querySelector('select')!.addEventListener('change', showBlocs);
  showBlocs();
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'programmer-titre' },
    h('h2', { id: 'programmer-titre' }, 'Programmer une session'),
    form(
      {
        submit: 'Programmer la session',
        label: 'Programmer une session',
        async action(data, f, area) {
          const kind = text(data, 'kind');
          const blocs = data.getAll('blocs').map(String);
          const body = { rncp: text(data, 'rncp'), kind, centreId, startsOn: text(data, 'startsOn'), endsOn: text(data, 'endsOn'), ...(kind === 'ccp' ? { blocs } : {}) };
          try {
            const { sessionId } = await send<{ sessionId: string }>('POST', '/sessions', body);
            f.reset();
            showBlocs();
            const programmed = `Session ${sessionWhenAndWhere(body.startsOn, body.endsOn, await centreName(centreId))} programmée.`;
            showSuccess(area, programmed, ' Constituez maintenant son jury.');
            await reload(sessionId);
            await openSession(sessionId, { message: `${programmed} Constituez son jury et inscrivez les candidats.`, after: 0 });
          } catch (error) {
            showRefusal(area, error);
          }
        },
      },
      certSelect,
      selectField({
        label: 'Type de session',
        name: 'kind',
        required: true,
        options: [
          { value: 'titre', label: 'Session titre (tous les blocs, entretien final)' },
          { value: 'ccp', label: 'Session CCP (certains blocs)' },
        ],
      }),
      blocsHolder,
      h(
        'div',
        { class: 'form-row' },
        field({ label: 'Premier jour', name: 'startsOn', type: 'date', required: true }),
        field({ label: 'Dernier jour', name: 'endsOn', type: 'date', required: true }),
      ),
    ),
  );
}

function registerCandidateForm() {
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'enregistrer-titre' },
    h('h2', { id: 'enregistrer-titre' }, 'Enregistrer un candidat au registre'),
    h('p', null, 'Le nom, les prénoms, la date de naissance et le courriel sont conservés à part, chiffrés ; le registre ne garde que l’identifiant.'),
    form(
      {
        submit: 'Enregistrer le candidat',
        label: 'Enregistrer un candidat',
        async action(data, f, area) {
          const email = text(data, 'email');
          const body = { familyName: text(data, 'familyName'), givenNames: text(data, 'givenNames'), birthDate: text(data, 'birthDate'), ...(email ? { email } : {}) };
          try {
            const { candidateId } = await send<{ candidateId: string }>('POST', '/candidates', body);
            f.reset();
            await candidatesChanged(candidateId);
            showSuccess(
              area,
              `Dossier ${deFr(`${body.givenNames} ${body.familyName}`)} enregistré sous l’identifiant `,
              h('code', { class: 'candidate-id' }, candidateId),
              '. Transmettez-le au candidat : c’est son identifiant de connexion.',
            );
          } catch (error) {
            showRefusal(area, error);
          }
        },
      },
      h(
        'div',
        { class: 'form-row' },
        field({ label: 'Nom de famille', name: 'familyName', required: true, autocomplete: 'off' }),
        field({ label: 'Prénoms', name: 'givenNames', required: true, autocomplete: 'off' }),
      ),
      h(
        'div',
        { class: 'form-row' },
        field({ label: 'Date de naissance', name: 'birthDate', type: 'date', required: true }),
        field({ label: 'Courriel', name: 'email', type: 'email', hint: 'Facultatif : pour recevoir les résultats.', autocomplete: 'off' }),
      ),
    ),
  );
}

/** The centres the agent may grant an agrément to, and the jurors it may habilitate, as options by name. */
const centreChoices = (list: ApiAnswer<'GET /centres'>) => list.map((c) => ({ value: c.centreId, label: `${c.name} (${c.region})` }));

/** A date input's value checked before anything is sent: a refusal after the first of two writes leaves half a registration. */
function checkDate(f: HTMLFormElement, area: HTMLElement, label: string): boolean {
  const input = f.elements.namedItem('validUntil') as HTMLInputElement;
  const problem = dateProblem(label, input.value, new Date().toISOString().slice(0, 10));
  if (!problem) return true;
  markInvalid(input, problem);
  showError(area, h('p', null, problem));
  input.focus();
  return false;
}

/** Every juror the agent can see: those habilitated for any certification, and those this tab registered without one. */
async function knownJurors(): Promise<{ jurorId: string; name: string }[]> {
  const versions = await listCertifications();
  const lists = await Promise.all(versions.map((v) => getJson<JurorLine[]>(`/jurors?rncp=${enc(v.rncp)}`).catch(() => [] as JurorLine[])));
  const byId = new Map<string, { jurorId: string; name: string }>();
  for (const j of [...lists.flat(), ...unhabilitatedJurors()]) byId.set(j.jurorId, { jurorId: j.jurorId, name: jurorName(j) });
  return [...byId.values()].sort((a, b) => a.name.localeCompare(b.name, 'fr'));
}

// GET /jurors lists jurors by habilitation: one registered whose habilitation was refused is in no list; the tab keeps it.
const UNHABILITATED = 'ledger.unhabilitated-jurors';
function unhabilitatedJurors(): { jurorId: string; name: string }[] {
  try {
    return JSON.parse(sessionStorage.getItem(UNHABILITATED) ?? '[]') as { jurorId: string; name: string }[];
  } catch {
    return [];
  }
}
function rememberUnhabilitated(juror: { jurorId: string; name: string } | string) {
  const others = unhabilitatedJurors().filter((j) => j.jurorId !== (typeof juror === 'string' ? juror : juror.jurorId));
  sessionStorage.setItem(UNHABILITATED, JSON.stringify(typeof juror === 'string' ? others : [...others, juror]));
}

async function dreetsForms() {
  const options = await certificationOptions();
  const rncpDefault = defaultVersion(await listCertifications());
  const validUntilField = (label: string) =>
    field({ label, name: 'validUntil', type: 'date', required: true, attrs: { min: new Date().toISOString().slice(0, 10), max: '9999-12-31' } });
  const centreRegistration = twoStepRegistration({
    register: async (body: { name: string; region: string }, key) => (await send<{ centreId: string }>('POST', '/centres', body, { idempotencyKey: key })).centreId,
    grant: async (centreId, body: { rncp: string; validUntil: string }) => void (await send('POST', `/centres/${enc(centreId)}/agrements`, body)),
    newKey: () => crypto.randomUUID(),
  });
  const jurorRegistration = twoStepRegistration({
    register: async (body: { name: string; independent: boolean }, key) => (await send<{ jurorId: string }>('POST', '/jurors', body, { idempotencyKey: key })).jurorId,
    grant: async (jurorId, body: { rncp: string; validUntil: string }) => void (await send('POST', `/jurors/${enc(jurorId)}/habilitations`, body)),
    newKey: () => crypto.randomUUID(),
  });
  const agrementCentre = selectField({ label: 'Centre', name: 'centreId', required: true, options: centreChoices(await getJson<ApiAnswer<'GET /centres'>>('/centres')) });
  const habilitationJuror = selectField({ label: 'Juré', name: 'jurorId', required: true, options: (await knownJurors()).map((j) => ({ value: j.jurorId, label: j.name })) });
  /** The pickers read again, the one just registered picked: the agent goes on from there. */
  const refreshCentres = async (picked: string) => {
    const select = agrementCentre.querySelector('select')!;
    replaceChildren(select, ...centreChoices(await getJson<ApiAnswer<'GET /centres'>>('/centres')).map((o) => h('option', { value: o.value }, o.label)));
    if (!Array.from(select.options).some((o) => o.value === picked)) select.append(h('option', { value: picked }, 'le centre enregistré'));
    select.value = picked;
  };
  const refreshJurors = async (picked: string) => {
    const select = habilitationJuror.querySelector('select')!;
    replaceChildren(select, ...(await knownJurors()).map((j) => h('option', { value: j.jurorId }, j.name)));
    select.value = picked;
  };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'acteurs-titre' },
    h('h2', { id: 'acteurs-titre' }, 'Centres et jurés'),
    h('h3', null, 'Enregistrer un centre et son agrément'),
    form(
      {
        submit: 'Enregistrer le centre',
        label: 'Enregistrer un centre',
        async action(data, f, area) {
          if (!checkDate(f, area, 'Agrément valable jusqu’au')) return;
          const name = text(data, 'name');
          try {
            const { id } = await centreRegistration.submit({ name, region: text(data, 'region') }, { rncp: text(data, 'rncp'), validUntil: text(data, 'validUntil') });
            f.reset();
            await centresChanged(id);
            await refreshCentres(id);
            showSuccess(area, `Centre ${name} enregistré et agréé : il figure dans la liste des centres.`);
          } catch (error) {
            if (!(error instanceof GrantRefused)) return showRefusal(area, error);
            await centresChanged(error.id).catch(() => undefined);
            await refreshCentres(error.id).catch(() => undefined);
            showError(
              area,
              h('p', null, h('strong', null, `Centre ${name} enregistré, mais l’agrément a été refusé : `), error.message),
              ...refusalContent(error.refusal, formLabels(area)).slice(1),
              h(
                'p',
                null,
                'Le centre est choisi dans le formulaire « Accorder un agrément » ci-dessous : corrigez l’agrément et accordez-le. Renvoyer ce formulaire-ci n’enregistre pas le centre une seconde fois.',
              ),
            );
            markRefusedFields(area, error.refusal);
          }
        },
      },
      h(
        'div',
        { class: 'form-row' },
        field({ label: 'Nom du centre', name: 'name', required: true }),
        selectField({
          label: 'Région',
          name: 'region',
          required: true,
          options: regionOptions(),
          ...(who?.region ? { value: who.region, hint: 'Votre région : vous n’enregistrez que les centres de votre territoire.' } : {}),
        }),
      ),
      h(
        'div',
        { class: 'form-row' },
        selectField({ label: 'Certification de l’agrément', name: 'rncp', required: true, options, value: rncpDefault }),
        validUntilField('Agrément valable jusqu’au'),
      ),
    ),
    h('h3', null, 'Accorder un agrément'),
    form(
      {
        submit: 'Accorder l’agrément',
        label: 'Accorder un agrément',
        async action(data, f, area) {
          if (!checkDate(f, area, 'Agrément valable jusqu’au')) return;
          const select = agrementCentre.querySelector('select')!;
          const centreName = select.selectedOptions[0]?.textContent ?? 'le centre';
          try {
            await send('POST', `/centres/${enc(text(data, 'centreId'))}/agrements`, { rncp: text(data, 'rncp'), validUntil: text(data, 'validUntil') });
            showSuccess(area, `Agrément ${text(data, 'rncp')} accordé à ${centreName} jusqu’au ${dateFr(text(data, 'validUntil'))}.`);
          } catch (error) {
            showRefusal(area, error);
          }
        },
      },
      agrementCentre,
      h(
        'div',
        { class: 'form-row' },
        selectField({ label: 'Certification de l’agrément', name: 'rncp', required: true, options, value: rncpDefault }),
        validUntilField('Agrément valable jusqu’au'),
      ),
    ),
    h('h3', null, 'Enregistrer un juré et son habilitation'),
    form(
      {
        submit: 'Enregistrer le juré',
        label: 'Enregistrer un juré',
        async action(data, f, area) {
          if (!checkDate(f, area, 'Habilitation valable jusqu’au')) return;
          const name = text(data, 'name');
          try {
            const { id } = await jurorRegistration.submit(
              { name, independent: data.get('independent') === 'oui' },
              { rncp: text(data, 'rncp'), validUntil: text(data, 'validUntil') },
            );
            f.reset();
            rememberUnhabilitated(id);
            await jurorsChanged(text(data, 'rncp'), id);
            await refreshJurors(id);
            showSuccess(area, `Juré ${name} enregistré et habilité : il figure dans la liste des jurés habilités.`);
          } catch (error) {
            if (!(error instanceof GrantRefused)) return showRefusal(area, error);
            rememberUnhabilitated({ jurorId: error.id, name });
            await refreshJurors(error.id).catch(() => undefined);
            showError(
              area,
              h('p', null, h('strong', null, `Juré ${name} enregistré, mais l’habilitation a été refusée : `), error.message),
              ...refusalContent(error.refusal, formLabels(area)).slice(1),
              h(
                'p',
                null,
                'Le juré est choisi dans le formulaire « Habiliter un juré » ci-dessous : corrigez l’habilitation et accordez-la. Renvoyer ce formulaire-ci n’enregistre pas le juré une seconde fois.',
              ),
            );
            markRefusedFields(area, error.refusal);
          }
        },
      },
      field({ label: 'Nom du juré', name: 'name', required: true }),
      choiceGroup({ legend: 'Indépendance', name: 'independent', options: [{ value: 'oui', label: 'Indépendant du certificateur' }] }),
      h(
        'div',
        { class: 'form-row' },
        selectField({ label: 'Certification de l’habilitation', name: 'rncp', required: true, options, value: rncpDefault }),
        validUntilField('Habilitation valable jusqu’au'),
      ),
    ),
    h('h3', null, 'Habiliter un juré'),
    form(
      {
        submit: 'Habiliter le juré',
        label: 'Habiliter un juré',
        async action(data, f, area) {
          if (!checkDate(f, area, 'Habilitation valable jusqu’au')) return;
          const jurorId = text(data, 'jurorId');
          const jurorLabel = habilitationJuror.querySelector('select')!.selectedOptions[0]?.textContent ?? 'le juré';
          try {
            await send('POST', `/jurors/${enc(jurorId)}/habilitations`, { rncp: text(data, 'rncp'), validUntil: text(data, 'validUntil') });
            rememberUnhabilitated(jurorId);
            await jurorsChanged(text(data, 'rncp'), jurorId);
            showSuccess(area, `${jurorLabel} est habilité pour ${text(data, 'rncp')} jusqu’au ${dateFr(text(data, 'validUntil'))}.`);
          } catch (error) {
            showRefusal(area, error);
          }
        },
      },
      habilitationJuror,
      h(
        'div',
        { class: 'form-row' },
        selectField({ label: 'Certification de l’habilitation', name: 'rncp', required: true, options, value: rncpDefault }),
        validUntilField('Habilitation valable jusqu’au'),
      ),
    ),
  );
}

function dreetsCentreLookup(initial: ApiAnswer<'GET /centres'>) {
  const holder = h('div');
  const centreOptions = (list: ApiAnswer<'GET /centres'>) => list.map((c) => h('option', { value: c.centreId }, c.name));
  const picker = selectField({
    label: 'Centre',
    name: 'centreId',
    required: true,
    hint: 'Les centres de votre région.',
    options: initial.map((c) => ({ value: c.centreId, label: c.name })),
  });
  const select = picker.querySelector('select')!;
  let shown: ((view: SessionView) => Promise<void>) | undefined;
  sessionListeners.push((view) => shown?.(view) ?? Promise.resolve());
  /** After a centre is registered: the list read again until it has it, that centre picked. */
  centresChanged = async (centreId: string) => {
    const deadline = Date.now() + 5_000;
    let list = await getJson<ApiAnswer<'GET /centres'>>('/centres');
    while (!list.some((c) => c.centreId === centreId) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      list = await getJson<ApiAnswer<'GET /centres'>>('/centres');
    }
    replaceChildren(select, ...centreOptions(list));
    select.value = centreId;
  };
  const section = h(
    'section',
    { class: 'card', 'aria-labelledby': 'centre-titre' },
    h('h2', { id: 'centre-titre' }, 'Sessions d’un centre'),
    form(
      {
        submit: 'Afficher les sessions',
        label: 'Sessions d’un centre',
        async action(data) {
          const { holder: inner, load, refresh } = centreSessions(text(data, 'centreId'));
          shown = refresh;
          replaceChildren(holder, inner);
          await load();
        },
      },
      picker,
    ),
    holder,
  );
  return section;
}

let centresChanged: (centreId: string) => Promise<void> = async () => {};

/** The jurors habilitated for a certification, by name with their windows: whom a centre may call to its juries. */
async function dreetsJurors() {
  const options = await certificationOptions();
  const holder = h('div');
  const show = async (rncp: string, expected?: string) => {
    const deadline = Date.now() + 5_000;
    let list = await getJson<JurorLine[]>(`/jurors?rncp=${enc(rncp)}`);
    while (expected && !list.some((j) => j.jurorId === expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      list = await getJson<JurorLine[]>(`/jurors?rncp=${enc(rncp)}`);
    }
    replaceChildren(
      holder,
      list.length
        ? table({
            caption: `Jurés habilités pour ${rncp}`,
            headers: ['Juré', 'Indépendant du certificateur', 'Habilitation'],
            rows: list.map((j) => [
              j.name ?? `juré ${shortId(j.jurorId)}`,
              j.independent ? 'oui' : 'non',
              j.habilitations
                .filter((x) => x.rncp === rncp)
                .map((x) => `du ${dateFr(x.validFrom)} au ${dateFr(x.validUntil)}`)
                .join(' ; '),
            ]),
          })
        : h('p', null, `Aucun juré n’est habilité pour ${rncp}.`),
    );
  };
  jurorsChanged = show;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'jures-titre' },
    h('h2', { id: 'jures-titre' }, 'Jurés habilités'),
    form(
      {
        submit: 'Afficher les jurés',
        label: 'Jurés habilités pour une certification',
        async action(data, _f, area) {
          try {
            await show(text(data, 'rncp'));
          } catch (error) {
            showRefusal(area, error);
          }
        },
      },
      selectField({ label: 'Certification', name: 'rncp', required: true, options, value: defaultVersion(await listCertifications()) }),
    ),
    holder,
  );
}

let jurorsChanged: (rncp: string, jurorId?: string) => Promise<void> = async () => {};

async function main(me: Identity) {
  const parts: Child[] = [h('p', { class: 'lead' }, connectedAs(me.roles.map((r) => roleLabels[r])))];
  // The session opened comes right after the way it was found: the centre's list, or the form taking its id.
  if (me.roles.includes('centre')) {
    void centreName(me.ledgerId).then((name) => name && showSignedInName(name));
    const { holder, load, refresh } = centreSessions(me.ledgerId);
    sessionListeners.push(refresh);
    parts.push(h('section', { class: 'card', 'aria-labelledby': 'sessions-titre' }, h('h2', { id: 'sessions-titre' }, 'Les sessions du centre'), holder), sessionSection);
    parts.push(await scheduleForm(me.ledgerId, load), registerCandidateForm());
    void load();
  }
  if (me.roles.includes('centre')) parts.push(await centreCandidates(me.ledgerId));
  if (me.roles.includes('dreets')) parts.push(dreetsCentreLookup(await getJson<ApiAnswer<'GET /centres'>>('/centres')), await dreetsJurors());
  if (me.roles.includes('juror')) parts.push(await jurorSessions(me.ledgerId));
  if (!me.roles.includes('centre')) parts.push(sessionSection);
  if (me.roles.includes('dreets')) parts.push(await dreetsForms());
  replaceChildren(app, ...parts);
  const requested = new URLSearchParams(location.search).get('session');
  if (requested) await openSession(requested);
}

if (who) void main(who).catch((error: unknown) => showRefusal(app, error));
