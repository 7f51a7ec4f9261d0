/** The module the worker bundles (workflows/index), resolved from the sources or from dist/. */
export function workflowsPath(): string {
  return require.resolve('../../workflows');
}
