import type { UseFormReturnType } from '@mantine/form'

/**
 * Moves focus to the first field (in the page's order) with an error, so a
 * keyboard or screen-reader user lands on what to fix.
 */
export function focusFirstError<V>(
  form: UseFormReturnType<V>,
  errors: Record<string, unknown>,
): void {
  const paths = Object.keys(errors).filter((k) => Boolean(errors[k]))
  if (paths.length === 0) return
  // After the re-render that shows the messages.
  requestAnimationFrame(() => {
    const nodes = paths
      .map((p) => form.getInputNode(p as never))
      .filter((n): n is HTMLElement => n instanceof HTMLElement)
    nodes.sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1))
    nodes[0]?.focus()
  })
}
