import { catalogueProblems, flatten } from '../catalogue-check';
import { WORKFLOW_TEXT } from '.';

test('the workflow texts: fi, sv and en have the same keys, no empty text and the same variables', () => {
  expect(flatten(WORKFLOW_TEXT.en).size).toBeGreaterThan(40);
  expect(catalogueProblems(WORKFLOW_TEXT, 'en')).toEqual([]);
});
