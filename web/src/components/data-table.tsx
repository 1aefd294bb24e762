// A table with a caption for screen readers and column headers; the rows are the children.
import type { ComponentChildren } from 'preact';

export function DataTable(props: {
  caption: string;
  columns: string[];
  testId?: string;
  children: ComponentChildren;
}) {
  return (
    <div class="table-wrap">
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
    </div>
  );
}
