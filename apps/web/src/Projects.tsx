import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type ProjectListItem } from './api';
import { apiErrorText } from './errors';
import { useFormat } from './format';
import { Status } from './parts';
import { ProjectPanel } from './ProjectPanel';

export const projectHref = (key: string) => `/projects/${encodeURIComponent(key)}`;

/** Every ESR project phase the token may see, newest start first; a phase opens its periods and indicators. */
export function ProjectsList() {
  const { t } = useTranslation();
  const f = useFormat();
  const [items, setItems] = useState<ProjectListItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.projects().then((r) => setItems(r.items), (err: Error) => setError(err));
  }, []);
  return (
    <>
      <h1>{t('projects.title')}</h1>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      {!items && !error && <p className="muted">{t('app.loading')}</p>}
      {items && items.length === 0 && <p className="muted">{t('projects.empty')}</p>}
      {items && items.length > 0 && (
        <table className="projects">
          <thead><tr><th scope="col">{t('projects.project')}</th><th scope="col">{t('projects.eura')}</th><th scope="col">{t('projects.period')}</th><th scope="col">{t('projects.status')}</th></tr></thead>
          <tbody>
            {items.map((p) => (
              <tr key={p.workflowId} data-project={p.workflowId}>
                <td><Link to={projectHref(p.workflowId)}>{p.name}</Link></td>
                <td className="mono">{p.euraCode ?? '—'}</td>
                <td>{f.day(p.startDate)} – {f.day(p.endDate)}</td>
                <td><Status status={p.status} /></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export function ProjectPage({ projectKey }: { projectKey: string }) {
  const { t } = useTranslation();
  return (
    <>
      <p><Link to="/projects">{t('projects.back')}</Link></p>
      <ProjectPanel businessKey={projectKey} level={1} />
    </>
  );
}
