import { CompareView } from "@/components/compare/compare-view";
import "../pages.css";

export const metadata = { title: "Compare" };

type SearchParams = Record<string, string | string[] | undefined>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

/** /compare?jobs=ID,ID[,…] or ?tasks=…: the URL is the comparison, so it can be shared. */
export default async function ComparePage({ searchParams }: { searchParams: Promise<SearchParams> }) {
  const sp = await searchParams;
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Compare</h1>
          <p>
            Side by side against the first: every metric&apos;s change, whether it is beyond run-to-run noise, and what
            differs in the configuration.
          </p>
        </div>
      </div>
      <CompareView jobs={first(sp.jobs)} tasks={first(sp.tasks)} />
    </>
  );
}
