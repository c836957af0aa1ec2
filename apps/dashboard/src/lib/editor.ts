import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle } from '@codemirror/language';
import { autocompletion, completionKeymap } from '@codemirror/autocomplete';
import { EditorState } from '@codemirror/state';
import { EditorView, keymap } from '@codemirror/view';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';

/**
 * The PromQL editor: highlighting, linting and completion. Completion data comes from the
 * dashboard's read-only proxy (/api/promql), never from Prometheus directly. Returns a destroy.
 */
export function createEditor(
  host: HTMLElement,
  initial: string,
  onChange: (value: string) => void,
  onRun: () => void,
): () => void {
  const promql = new PromQLExtension().setComplete({
    remote: { url: '/api/promql', httpMethod: 'GET' },
  });
  const view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: initial,
      extensions: [
        history(),
        autocompletion(),
        syntaxHighlighting(defaultHighlightStyle),
        promql.asExtension(),
        keymap.of([
          { key: 'Mod-Enter', run: () => (onRun(), true) },
          ...defaultKeymap,
          ...historyKeymap,
          ...completionKeymap,
        ]),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) onChange(u.state.doc.toString());
        }),
        EditorView.theme({
          '&': { fontSize: '14px' },
          '.cm-content': { fontFamily: 'ui-monospace, monospace', padding: '0.5rem' },
        }),
      ],
    }),
  });
  return () => view.destroy();
}
