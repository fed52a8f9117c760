/** The element with this id; a missing one is a bug in index.html, not a user mistake. */
export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`index.html has no element #${id}`);
  return el as T;
}

export type TabName = 'problems' | 'network' | 'training' | 'ir';

export function showTab(name: TabName): void {
  for (const b of document.querySelectorAll<HTMLButtonElement>('.tabs button')) b.classList.toggle('active', b.dataset['tab'] === name);
  for (const body of document.querySelectorAll<HTMLElement>('.tab-body')) body.hidden = body.id !== `tab-${name}`;
}
