import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query"
import { sdk } from "../lib/sdk"
import type { CancellationRequest } from "../lib/types"

const key = ["payment-desk", "cancellation-requests"]

/**
 * Open cancellation requests; `available` is false when the server has no
 * such route yet (404), so the page shows an empty state instead of an error.
 */
export function useCancellationRequests() {
  return useQuery({
    queryKey: key,
    queryFn: async () => {
      try {
        const answer = await sdk.client.fetch<{ cancellation_requests: CancellationRequest[] }>(
          "/admin/payment-desk/cancellation-requests",
          { query: { status: "open" } }
        )
        return { available: true, requests: answer.cancellation_requests ?? [] }
      } catch (error) {
        if ((error as { status?: number }).status === 404) {
          return { available: false, requests: [] as CancellationRequest[] }
        }
        throw error
      }
    },
  })
}

/** Approves a request (the order is closed) or declines it with a message to the customer. */
export function useAnswerCancellationRequest() {
  const queryClient = useQueryClient()
  return useMutation({
    mutationFn: ({ id, decision, message }: { id: string; decision: "approve" | "decline"; message?: string }) =>
      sdk.client.fetch<{ cancellation_request: CancellationRequest }>(
        `/admin/payment-desk/cancellation-requests/${id}/${decision}`,
        { method: "POST", body: decision === "decline" ? { message } : {} }
      ),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ["payment-desk"] })
      await queryClient.invalidateQueries({ queryKey: ["orders"] })
    },
  })
}
