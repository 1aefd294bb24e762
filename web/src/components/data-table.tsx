// A table with a caption for screen readers and column headers; the rows are the children. Its
// frame scrolls sideways when the table is wider than the screen.
import type { ComponentChildren } from 'preact';

export function DataTable(props: {
  caption: string;
  columns: string[];
  testId?: string;
  children: ComponentChildren;
}) {
  // Focusable and named: on a phone the table scrolls sideways, and keyboard users must reach it.
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a region that scrolls must take focus (axe scrollable-region-focusable)
    <section class="table-wrap" aria-label={props.caption} tabIndex={0}>
      <table data-testid={props.testId}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => (
              <th scope="col" key={column}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </section>
  );
}
