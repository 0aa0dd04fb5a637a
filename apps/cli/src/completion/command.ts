import { Command, Argument } from 'commander';
import { type Cli } from '../cli';
import { bashCompletion, fishCompletion, zshCompletion } from './scripts';

export function completionCommand(cli: Cli, root: () => Command): Command {
  return new Command('completion')
    .description('Print a shell completion script')
    .addArgument(new Argument('<shell>').choices(['bash', 'zsh', 'fish']))
    .addHelpText(
      'after',
      "\nInstall:\n  bash: echo 'source <(spark completion bash)' >> ~/.bashrc\n  zsh:  echo 'source <(spark completion zsh)' >> ~/.zshrc\n  fish: spark completion fish > ~/.config/fish/completions/spark.fish",
    )
    .action((shell: 'bash' | 'zsh' | 'fish') => {
      const script =
        shell === 'bash'
          ? bashCompletion(root())
          : shell === 'zsh'
            ? zshCompletion(root())
            : fishCompletion(root());
      cli.io.out(script);
    });
}
