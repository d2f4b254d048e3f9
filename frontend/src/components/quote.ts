/**
 * The reply box's quote: "NAME wrote on DATE:" then every line of the text
 * prefixed with "> ". Line breaks are kept (the original lost them, §8.2).
 */
export function quoteText(intro: string, content: string): string {
  const body = content
    .replace(/\r\n/g, '\n')
    .split('\n')
    .map((l) => (l === '' ? '>' : `> ${l}`))
    .join('\n')
  return `${intro}\n\n${body}\n\n`
}
