"use client";
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { useState } from "react";
import { ApiClientError } from "@/lib/client/api-fetch";
import { ToastProvider } from "./ui/toast";

/** Client-side context for every dashboard page: React Query cache and toasts. */
export function Providers({ children }: { children: React.ReactNode }) {
  const [client] = useState(
    () =>
      new QueryClient({
        queryCache: new QueryCache({ onError: signInAgainIfSignedOut }),
        mutationCache: new MutationCache({ onError: signInAgainIfSignedOut }),
        defaultOptions: {
          queries: {
            staleTime: 10_000,
            refetchOnWindowFocus: true,
            // A 4xx will not fix itself by asking again; network blips and 5xx might.
            retry: (count, error) =>
              count < 2 && !(error instanceof ApiClientError && error.status >= 400 && error.status < 500),
          },
        },
      }),
  );
  return (
    <QueryClientProvider client={client}>
      <ToastProvider>{children}</ToastProvider>
    </QueryClientProvider>
  );
}

/** A session that expired or a user deactivated meanwhile: go to sign in instead of showing errors. */
function signInAgainIfSignedOut(error: unknown) {
  // A full page load on purpose (not router.push): it drops every cached query of the ended session.
  // eslint-disable-next-line @next/next/no-location-assign-relative-destination
  if (error instanceof ApiClientError && error.status === 401) window.location.assign("/signin");
}
