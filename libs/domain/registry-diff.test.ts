import { attribute, involves, registryChanges, type RegistryState, type WorkflowRef } from './registry-diff';

const SOCCA = 'socca';
const VERSO = 'verso';
const PORVOO = 'porvoo';
const empty: RegistryState = { organisations: [], serviceAreas: [], holdings: [], shareRegister: [] };
const noAuthors = { receivers: [], ended: [] };

describe('registryChanges', () => {
  it('a service area moved from one centre to another: the end and the start, both put down to the workflow that opened the new one', () => {
    const from: RegistryState = { ...empty, serviceAreas: [{ centreId: VERSO, municipalityId: PORVOO, validFrom: '2002-01-01', validTo: '2022-12-31', sourceWorkflowId: null }] };
    const to: RegistryState = { ...empty, serviceAreas: [{ centreId: SOCCA, municipalityId: PORVOO, validFrom: '2023-01-01', validTo: null, sourceWorkflowId: 'wf-1' }] };
    expect(registryChanges(from, to, noAuthors).map((c) => [c.op, c.key, c.on, c.workflowId])).toEqual([
      ['added', 'socca/porvoo', '2023-01-01', 'wf-1'],
      ['removed', 'verso/porvoo', '2023-01-01', 'wf-1'],
    ]);
  });

  it('a holding that changed hands is one change naming the new holder; a share range split to a new holder names its workflow', () => {
    const holding = { kind: 'staff', ref: 'S-1', counterpartyId: null, validTo: null, sourceStep: null };
    const from: RegistryState = {
      ...empty,
      holdings: [{ ...holding, organisationId: VERSO, validFrom: '2021-01-01', sourceWorkflowId: null }],
      shareRegister: [{ companyId: 'c', holderId: 'a', firstNo: 1, lastNo: 10, acquiredOn: '2001-01-01', disposedOn: '2024-03-01', sourceWorkflowId: 'seed', sourceStep: null }],
    };
    const to: RegistryState = {
      ...empty,
      holdings: [{ ...holding, organisationId: SOCCA, validFrom: '2023-01-01', sourceWorkflowId: 'wf-2' }],
      shareRegister: [{ companyId: 'c', holderId: 'b', firstNo: 1, lastNo: 4, acquiredOn: '2024-03-01', disposedOn: null, sourceWorkflowId: 'wf-3', sourceStep: 'x' }],
    };
    const changes = registryChanges(from, to, noAuthors);
    expect(changes.map((c) => [c.section, c.op, c.on, c.workflowId])).toEqual([
      ['holdings', 'changed', '2023-01-01', 'wf-2'],
      ['shareRegister', 'removed', '2024-03-01', 'wf-3'],
      ['shareRegister', 'added', '2024-03-01', 'wf-3'],
    ]);
    expect(involves(changes[1]!, 'a')).toBe(true);
    expect(involves(changes[1]!, 'b')).toBe(false);
    expect(involves(changes[0]!, VERSO)).toBe(true);
  });

  it('an organisation ended by a record, one created by a consolidation; nothing between a state and itself', () => {
    const org = { name: 'x', kind: 'centre', region: null, mergedInto: null };
    const from: RegistryState = { ...empty, organisations: [{ ...org, businessId: VERSO, validFrom: '2000-01-01', validTo: '2022-12-31' }] };
    const to: RegistryState = { ...empty, organisations: [{ ...org, businessId: SOCCA, validFrom: '2023-01-01', validTo: null }] };
    const authors = { receivers: [{ centreId: SOCCA, workflowId: 'wf-c', createdCentre: true, effectiveDate: '2023-01-01' }], ended: [{ businessId: VERSO, workflowId: 'imported:x' }] };
    expect(registryChanges(from, to, authors).map((c) => [c.op, c.key, c.on, c.workflowId])).toEqual([
      ['added', SOCCA, '2023-01-01', 'wf-c'],
      ['removed', VERSO, '2023-01-01', 'imported:x'],
    ]);
    expect(registryChanges(to, to, authors)).toEqual([]);
  });
});

describe('attribute', () => {
  const workflow: WorkflowRef = {
    workflowId: 'wf-1', kind: 'consolidation', title: 'Uusimaa', imported: true,
    decisions: [
      { gate: 'g1', party: VERSO, body: 'Verso board', decidedAt: '2022-10-14T09:00:00.000Z', reference: null },
      { gate: 'g2', party: 'hus', body: 'HUS board', decidedAt: '2022-12-14T10:00:00.000Z', reference: '§ 5' },
    ],
  };

  it('names the workflow and its last decision on or before the day of the change; an unknown workflow is named by nobody', () => {
    const change = { op: 'added' as const, section: 'serviceAreas', key: 'k', after: {}, workflowId: 'wf-1' };
    const [late, early, unknown] = attribute([
      { ...change, on: '2023-01-01' }, { ...change, on: '2022-11-01' }, { ...change, on: '2023-01-01', workflowId: 'gone' },
    ], [workflow]);
    expect(late).toMatchObject({ workflow: { workflowId: 'wf-1', imported: true }, decision: { body: 'HUS board', reference: '§ 5' } });
    expect(early?.decision?.body).toBe('Verso board');
    expect(unknown).toMatchObject({ workflow: null, decision: null });
  });
});
