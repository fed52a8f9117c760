import './styles.css';
import { LanguageClient } from './lang/client.js';
import { decodeShare } from './files/share.js';
import { initialDocument, type Doc } from './files/startup.js';

/**
 * Starts the language worker on the first document before Monaco is even loaded, so the
 * compiler warms up and answers while the (large) editor bundle is parsed. A shared link in
 * the URL wins over everything else; it only fills the editor, nothing runs.
 */
async function boot(): Promise<void> {
  const client = new LanguageClient();
  let first: Doc | undefined;
  let notice: string | undefined;
  try {
    first = await decodeShare(location.hash);
  } catch (e) {
    notice = e instanceof Error ? e.message : String(e);
  }
  first ??= initialDocument();
  // A new Monaco model starts at version 1.
  client.update(first.name, first.text, 1, true);
  const { startApp } = await import('./app.js');
  // Marks for tools/bench/editor: where the time to a usable page goes.
  performance.mark('snnc:app-loaded');
  startApp(client, first, notice);
}

void boot();
