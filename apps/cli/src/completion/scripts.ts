import { type Command } from 'commander';

interface Node {
  path: string[];
  subcommands: string[];
  options: string[];
  /** Options that take a value with fixed choices. */
  choices: Record<string, string[]>;
}

/** Every command of the tree, with the words that can follow it. */
function nodes(command: Command, path: string[] = []): Node[] {
  const options = [...command.options.flatMap((option) => [option.long, option.short]), '--help'].filter(
    (flag): flag is string => Boolean(flag),
  );
  const choices = Object.fromEntries(
    command.options
      .filter((option) => option.argChoices)
      .flatMap((option) =>
        [option.long, option.short].filter(Boolean).map((flag) => [flag!, option.argChoices!] as const),
      ),
  );
  const children = command.commands.filter((child) => !(child as unknown as { _hidden?: boolean })._hidden);
  return [
    { path, subcommands: children.map((child) => child.name()), options, choices },
    ...children.flatMap((child) => nodes(child, [...path, child.name()])),
  ];
}

export function bashCompletion(root: Command): string {
  const name = root.name();
  const cases = nodes(root)
    .map((node) => {
      const key = node.path.join(' ');
      const choiceCases = Object.entries(node.choices)
        .map(
          ([flag, values]) =>
            `        ${flag}) COMPREPLY=($(compgen -W "${values.join(' ')}" -- "$cur")); return ;;`,
        )
        .join('\n');
      return `    "${key}")\n      case "$prev" in\n${choiceCases}\n      esac\n      words_="${[...node.subcommands, ...node.options].join(' ')}" ;;`;
    })
    .join('\n');
  return `# bash completion for ${name}: source <(${name} completion bash)
_${name}_complete() {
  local cur prev path_ words_ i w
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  path_=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    case "$w" in -*) continue ;; esac
    case " $(_${name}_children "$path_") " in *" $w "*) path_="\${path_:+$path_ }$w" ;; esac
  done
  case "$path_" in
${cases}
    *) words_="" ;;
  esac
  COMPREPLY=($(compgen -W "$words_" -- "$cur"))
  if [ \${#COMPREPLY[@]} -eq 0 ]; then COMPREPLY=($(compgen -f -- "$cur")); fi
  return 0
}
_${name}_children() {
  case "$1" in
${nodes(root)
  .map((node) => `    "${node.path.join(' ')}") echo "${node.subcommands.join(' ')}" ;;`)
  .join('\n')}
  esac
}
complete -F _${name}_complete ${name}
`;
}

export function zshCompletion(root: Command): string {
  return `#compdef ${root.name()}
# zsh completion for ${root.name()}: source <(${root.name()} completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(root)}`;
}

export function fishCompletion(root: Command): string {
  const name = root.name();
  const lines = [`# fish completion for ${name}: ${name} completion fish | source`, `complete -c ${name} -f`];
  for (const node of nodes(root)) {
    const condition =
      node.path.length === 0
        ? '__fish_use_subcommand'
        : `__fish_seen_subcommand_from ${node.path[node.path.length - 1]}`;
    for (const sub of node.subcommands) lines.push(`complete -c ${name} -n '${condition}' -a ${sub}`);
    for (const option of node.options.filter((flag) => flag.startsWith('--')))
      lines.push(
        `complete -c ${name} -n '${node.path.length === 0 ? 'true' : condition}' -l ${option.slice(2)}${node.choices[option] ? ` -xa '${node.choices[option]!.join(' ')}'` : ''}`,
      );
  }
  return lines.join('\n') + '\n';
}
