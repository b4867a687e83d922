import { SchemaView, schemaSummary } from "./schema-view";

// An OpenAPI document is arbitrary JSON, walked key by key: typing every node would add nothing.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const AUTH_LABEL: Record<string, string> = {
  bearerAuth: "bearer token",
  sessionCookie: "session",
  jobToken: "job token",
  metricsToken: "metrics token",
};

function authText(security: Json[] | undefined): string {
  if (!security?.length) return "no credentials";
  const names = security.map(
    (req) =>
      Object.keys(req)
        .map((k) => AUTH_LABEL[k] ?? k)
        .join(" + ") || "anonymous",
  );
  return names.join(" or ");
}

/** One endpoint of the OpenAPI document: method, path, auth, parameters, body and answers. */
export function OperationCard({ method, path, op }: { method: string; path: string; op: Json }) {
  const params = (op.parameters ?? []) as Json[];
  const body = op.requestBody ? (Object.entries(op.requestBody.content)[0] as [string, Json]) : null;
  const responses = Object.entries(op.responses as Json);
  return (
    <section className="api-op" id={op.operationId}>
      <h3>
        <span className={`api-method api-${method}`}>{method.toUpperCase()}</span> <code>{path}</code>
      </h3>
      <p>{op.summary}</p>
      <p className="api-muted">Auth: {authText(op.security)}</p>
      {params.length ? (
        <table>
          <thead>
            <tr>
              <th>Parameter</th>
              <th>In</th>
              <th>Type</th>
              <th>Required</th>
            </tr>
          </thead>
          <tbody>
            {params.map((p) => (
              <tr key={`${p.in}:${p.name}`}>
                <td>
                  <code>{p.name}</code>
                </td>
                <td>{p.in}</td>
                <td>
                  {schemaSummary(p.schema)}
                  {p.schema?.default !== undefined ? ` (default ${JSON.stringify(p.schema.default)})` : ""}
                </td>
                <td>{p.required ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {body ? (
        <details>
          <summary>Request body ({body[0]})</summary>
          <SchemaView schema={body[1].schema} />
        </details>
      ) : null}
      {responses.map(([status, r]) => {
        const json = (r as Json).content?.["application/json"]?.schema as Json | undefined;
        const text = (r as Json).$ref
          ? `error body (${String((r as Json).$ref)
              .split("/")
              .pop()!
              .replace(/^(NextAuth)?Error/, "")})`
          : (r as Json).description;
        return json && status.startsWith("2") ? (
          <details key={status}>
            <summary>Response {status}</summary>
            <SchemaView schema={json} />
          </details>
        ) : (
          <p key={status} className="api-muted">
            Response {status}: {text}
          </p>
        );
      })}
    </section>
  );
}
