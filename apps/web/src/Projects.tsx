import { useEffect, useState } from 'react';
import { api, type ProjectListItem } from './api';
import { ProjectPanel } from './ProjectPanel';

export const projectHref = (key: string) => `#/projects/${encodeURIComponent(key)}`;

/** Every ESR project phase the token may see, newest start first; a phase opens its periods and indicators. */
export function ProjectsList() {
  const [items, setItems] = useState<ProjectListItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.projects().then((r) => setItems(r.items), (err: Error) => setError(err.message));
  }, []);
  return (
    <main>
      <h1>Projects</h1>
      {error && <p className="error" role="alert">{error}</p>}
      {items && items.length === 0 && <p className="muted">No projects yet.</p>}
      {items && items.length > 0 && (
        <table className="projects">
          <thead><tr><th scope="col">Project</th><th scope="col">EURA code</th><th scope="col">Period</th><th scope="col">Status</th></tr></thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.workflowId} data-project={p.workflowId}>
                <td><a href={projectHref(p.workflowId)}>{p.name}</a></td>
                <td className="mono">{p.euraCode ?? '—'}</td>
                <td>{p.startDate} – {p.endDate}</td>
                <td><span className={`status status-${p.status}`}>{p.status}</span></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}

export function ProjectPage({ projectKey }: { projectKey: string }) {
  return (
    <main>
      <p><a href="#/projects">← Projects</a></p>
      <ProjectPanel businessKey={projectKey} />
    </main>
  );
}
