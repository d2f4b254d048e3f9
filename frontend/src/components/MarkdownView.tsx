import { Typography } from '@mantine/core'
import classes from './MarkdownView.module.css'

/**
 * Renders HTML that the server produced from markdown (content_html). The
 * server renders with raw HTML off and sanitises with an allow-list
 * (bluemonday), and the page's CSP forbids inline scripts, so this is the
 * one place the SPA inserts HTML.
 */
export function MarkdownView({ html, testId }: { html: string | undefined; testId?: string }) {
  return (
    <Typography className={classes.body} data-testid={testId}>
      <div dangerouslySetInnerHTML={{ __html: html ?? '' }} />
    </Typography>
  )
}
