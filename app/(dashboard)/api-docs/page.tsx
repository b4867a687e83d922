import { OperationCard } from "@/components/api-docs/operation-card";
import { openApiDocument } from "@/lib/openapi/document";
import { API_DOCS_CSS } from "@/components/api-docs/styles";

export const metadata = { title: "API reference · Benchboard" };

// An OpenAPI document is arbitrary JSON, walked key by key: typing every node would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** The API reference: the OpenAPI document (the same one served at /openapi.json), by tag. */
export default function ApiDocsPage() {
  const doc = openApiDocument() as Json;
  const ops = Object.entries(doc.paths as Json).flatMap(([path, methods]) =>
    Object.entries(methods as Json).map(([method, op]) => ({ path, method, op: op as Json })),
  );
  return (
    // A plain container: the dashboard shell already provides the page's one <main> landmark.
    <div className="api-docs">
      <style>{API_DOCS_CSS}</style>
      <h1>API reference</h1>
      <p className="api-muted">
        {doc.info.title} {doc.info.version} · OpenAPI {doc.openapi} ·{" "}
        <a href="/api/silicon-mark/v1/openapi.json">openapi.json</a>
      </p>
      <p>{doc.info.description}</p>
      <nav aria-label="API sections">
        {(doc.tags as Json[]).map((t) => (
          <a key={t.name} href={`#tag-${t.name}`}>
            {t.name}
          </a>
        ))}
      </nav>
      {(doc.tags as Json[]).map((tag) => (
        <section key={tag.name} id={`tag-${tag.name}`}>
          <h2>{tag.name}</h2>
          <p className="api-muted">{tag.description}</p>
          {ops
            .filter((o) => o.op.tags?.includes(tag.name))
            .map((o) => (
              <OperationCard key={`${o.method} ${o.path}`} method={o.method} path={o.path} op={o.op} />
            ))}
        </section>
      ))}
    </div>
  );
}
