"use client";
import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/lib/client/api-fetch";
import { queryKeys } from "@/lib/client/query-keys";
import type { listEnrollmentTokens, createEnrollmentToken } from "@/lib/enrollment/tokens";
import type { listEnrolledMachines } from "@/lib/enrollment/machines";
import type { listSchedules } from "@/lib/schedules/queries";

export type TokenList = Awaited<ReturnType<typeof listEnrollmentTokens>>;
export type CreatedToken = Awaited<ReturnType<typeof createEnrollmentToken>>;
export type EnrolledList = Awaited<ReturnType<typeof listEnrolledMachines>>;
export type ScheduleList = Awaited<ReturnType<typeof listSchedules>>;
export type ScheduleView = ScheduleList["results"][number];

/** Live status changes on its own (heartbeats, ticks): these lists refresh every few seconds. */
const LIVE_MS = 5000;

export const useEnrollmentTokens = () =>
  useQuery({
    queryKey: queryKeys.enrollmentTokens,
    queryFn: ({ signal }) => apiFetch<TokenList>("/enrollment-tokens", { signal }),
    // Last use and machine counts change as machines enroll.
    refetchInterval: LIVE_MS,
  });

export const useEnrolledMachines = () =>
  useQuery({
    queryKey: queryKeys.enrolledMachines,
    queryFn: ({ signal }) => apiFetch<EnrolledList>("/machines/enrolled", { signal }),
    refetchInterval: LIVE_MS,
  });

export const useSchedules = () =>
  useQuery({
    queryKey: queryKeys.schedules,
    queryFn: ({ signal }) => apiFetch<ScheduleList>("/schedules", { query: { runs: 5 }, signal }),
    refetchInterval: LIVE_MS,
  });

/** What fleet-management writes change: tokens, enrolled machines and schedules. */
export const FLEET_LISTS = [queryKeys.enrollmentTokens, queryKeys.enrolledMachines, queryKeys.schedules] as const;
