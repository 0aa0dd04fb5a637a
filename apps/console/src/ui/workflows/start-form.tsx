import { unwrap } from '@spark/client';
import { type FormEvent, useState } from 'react';
import { useAllowed, useSession } from '../api';
import { ActionButton, ErrorNote } from '../common';
import { navigate } from '../router';
import { fieldsOf, inputFrom, type InputSchema } from './input-fields';

export function StartForm({
  name,
  version,
  schema,
}: {
  name: string;
  version: number;
  schema?: InputSchema;
}) {
  const { api } = useSession();
  const write = useAllowed('write');
  const fields = fieldsOf(schema);
  const [values, setValues] = useState<Record<string, string | boolean>>({});
  const [raw, setRaw] = useState('{}');
  const [labels, setLabels] = useState('');
  const [error, setError] = useState<unknown>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(null);
    try {
      const input = fields.length ? inputFrom(fields, values) : (JSON.parse(raw || '{}') as unknown);
      const labelMap = Object.fromEntries(
        labels
          .split(',')
          .map((pair) => pair.trim())
          .filter(Boolean)
          .map((pair) => {
            const at = pair.indexOf('=');
            return at < 0 ? [pair, ''] : [pair.slice(0, at).trim(), pair.slice(at + 1).trim()];
          }),
      );
      const started = await unwrap(
        api.POST('/api/v1/runs', {
          body: { workflow: name, version, input, ...(labels.trim() ? { labels: labelMap } : {}) },
        }),
      );
      navigate(`/runs/${started.runId}`);
    } catch (failure) {
      setError(failure);
    }
  };
  return (
    <form className="start-form" onSubmit={(event) => void submit(event)} aria-label="Start a run">
      <h2>Start a run</h2>
      {fields.map((field) => (
        <label key={field.name}>
          {field.name}
          {field.required ? ' *' : ''}
          {field.kind === 'boolean' ? (
            <input
              type="checkbox"
              checked={values[field.name] === true}
              onChange={(event) => setValues({ ...values, [field.name]: event.target.checked })}
            />
          ) : field.kind === 'enum' ? (
            <select
              value={String(values[field.name] ?? '')}
              required={field.required}
              onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
            >
              <option value="" />
              {field.options?.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          ) : field.kind === 'json' ? (
            <textarea
              rows={2}
              value={String(values[field.name] ?? '')}
              required={field.required}
              onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
            />
          ) : (
            <input
              type={field.kind === 'string' ? 'text' : 'number'}
              step={field.kind === 'integer' ? 1 : 'any'}
              value={String(values[field.name] ?? '')}
              required={field.required}
              onChange={(event) => setValues({ ...values, [field.name]: event.target.value })}
            />
          )}
          {field.description ? <small className="muted">{field.description}</small> : null}
        </label>
      ))}
      {fields.length === 0 ? (
        <label>
          Input (JSON)
          <textarea rows={4} value={raw} onChange={(event) => setRaw(event.target.value)} />
        </label>
      ) : null}
      <label>
        Labels
        <input
          placeholder="team=shop, env=dev"
          value={labels}
          onChange={(event) => setLabels(event.target.value)}
        />
      </label>
      <ErrorNote error={error} />
      <ActionButton {...write} type="submit" className="primary">
        Start run
      </ActionButton>
    </form>
  );
}
