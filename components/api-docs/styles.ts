// Page-local styles of the API reference, inlined so the page stays self-contained.
export const API_DOCS_CSS = `
.api-docs { padding: 24px; max-width: 1100px; }
.api-docs nav { display: flex; gap: 16px; margin: 12px 0 24px; }
.api-docs h2 { margin-top: 32px; border-bottom: 1px solid var(--border); padding-bottom: 6px; }
.api-op { border: 1px solid var(--border); background: var(--card); border-radius: 8px; padding: 12px 16px; margin: 12px 0; }
.api-op h3 { margin: 0 0 6px; font-size: 15px; }
.api-op table { margin: 8px 0; }
.api-op details { margin: 6px 0; }
.api-muted { color: var(--muted); }
.api-method { display: inline-block; min-width: 64px; text-align: center; border-radius: 4px; padding: 2px 6px; font-size: 12px; color: white; }
.api-get { background: #2563eb; } .api-post { background: #15803d; } .api-patch { background: #b45309; } .api-put { background: #7c3aed; } .api-delete { background: #dc2626; }
.api-schema { margin: 4px 0 4px 8px; padding-left: 14px; }
.api-schema li { margin: 2px 0; }
`;
