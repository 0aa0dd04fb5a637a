import { aContext, aDispatch } from '../../test-support';
import { TaskExecutionError } from '../task-execution-error';
import { TransformHandler } from './transform-handler';

describe('transform handler', () => {
  const handler = new TransformHandler();
  const run = (expression: string, input: unknown) => {
    const dispatch = aDispatch({ handler: 'transform', config: { expression, factor: 10 }, input });
    return handler.execute(dispatch, aContext(dispatch));
  };

  it('evaluates JSONata over {input, config}', async () => {
    await expect(
      run('{"total": $sum(input.items.price) * config.factor}', { items: [{ price: 1 }, { price: 2 }] }),
    ).resolves.toEqual({
      total: 30,
    });
  });

  it('fails non-retryably on a syntax error and on an evaluation error', async () => {
    await expect(run('input.(', {})).rejects.toMatchObject({
      code: 'INVALID_EXPRESSION',
      classification: 'non_retryable',
    });
    await expect(run('$number("x")', {})).rejects.toBeInstanceOf(TaskExecutionError);
  });

  it('stops a runaway expression', async () => {
    await expect(run('($f := function($n){ $f($n + 1) }; $f(0))', {})).rejects.toMatchObject({
      code: 'TRANSFORM_FAILED',
    });
  });
});
