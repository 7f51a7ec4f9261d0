import { loadConfig } from '../../libs/config/config';
import { createApiApp } from './create-app';

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp();
  await app.listen(config.http.port, config.http.host);
}

main().catch((err: unknown) => {
  console.error('api failed to start:', err);
  process.exit(1);
});
