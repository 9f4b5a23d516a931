# bash completion for gitops. Install: source scripts/completion/gitops.bash
# (or copy it to /etc/bash_completion.d/gitops). Application names come from the cluster
# (`gitops status -o json`), so they follow --kubeconfig, --context and -n like kubectl's.
_gitops_apps() {
  local args=() i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      --kubeconfig|--context|-n|--namespace) args+=("${COMP_WORDS[i]}" "${COMP_WORDS[i+1]}") ;;
    esac
  done
  gitops status "${args[@]}" -o json 2>/dev/null |
    sed -n 's/^        "name": "\(.*\)",\{0,1\}$/\1/p'
}

_gitops() {
  local cur prev cmd
  cur="${COMP_WORDS[COMP_CWORD]}"
  prev="${COMP_WORDS[COMP_CWORD-1]}"
  cmd="${COMP_WORDS[1]}"
  local commands="demo sandbox operator status diff sync refresh wait history rollback suspend resume hold render secret cluster dashboard"
  local common="--kubeconfig --context -n --namespace -h --help"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=($(compgen -W "$commands --help --version" -- "$cur"))
    return
  fi
  case "$prev" in
    --kubeconfig|--local|--workdir|--kubeconfig-out|--operator-kubeconfig) COMPREPLY=($(compgen -f -- "$cur")); return ;;
    -o|--output) COMPREPLY=($(compgen -W "table json yaml wide" -- "$cur")); return ;;
    --for) [ "$cmd" = wait ] && COMPREPLY=($(compgen -W "synced healthy ready" -- "$cur")); return ;;
    --context) COMPREPLY=($(compgen -W "$(kubectl config get-contexts -o name 2>/dev/null)" -- "$cur")); return ;;
    -n|--namespace) COMPREPLY=($(compgen -W "$(kubectl get namespaces -o name 2>/dev/null | sed 's,^namespace/,,')" -- "$cur")); return ;;
  esac
  local opts=""
  case "$cmd" in
    demo) opts="--no-interactive --workdir --port --stage-timeout" ;;
    sandbox) opts="--listen --kubeconfig-out" ;;
    operator) opts="--kubeconfig --context --listen --namespace --workers --lease-namespace --no-leader-election" ;;
    status) opts="$common -A --all-namespaces -o --output" ;;
    diff) opts="$common --local --exit-code -o --output" ;;
    sync) opts="$common --prune --wait --timeout" ;;
    refresh) opts="$common --wait --timeout" ;;
    wait) opts="$common --for --timeout" ;;
    history) opts="$common -o --output" ;;
    rollback) opts="$common --clear" ;;
    suspend|resume) opts="$common" ;;
    hold) opts="$common --for --reason --clear" ;;
    render) COMPREPLY=($(compgen -d -- "$cur")); return ;;
    dashboard) opts="$common -A --all-namespaces --port" ;;
    cluster)
      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "add list remove" -- "$cur")); return; fi
      case "${COMP_WORDS[2]}" in
        add) opts="--kubeconfig --context --shard -n --namespace --allow-exec --upsert --operator-kubeconfig --operator-context" ;;
        list) opts="--kubeconfig --context -n --namespace -o --output" ;;
        remove) opts="--kubeconfig --context -n --namespace --force" ;;
      esac
      COMPREPLY=($(compgen -W "$opts" -- "$cur"))
      return ;;
    secret)
      if [ "$COMP_CWORD" -eq 2 ]; then COMPREPLY=($(compgen -W "keygen encrypt decrypt" -- "$cur")); return; fi
      case "${COMP_WORDS[2]}" in
        keygen) opts="-o --output" ;;
        encrypt) opts="--age --encrypted-regex --unencrypted-regex --encrypted-suffix --unencrypted-suffix --input-type -i --in-place -o --output" ;;
        decrypt) opts="--identity --input-type" ;;
      esac
      [[ "$cur" == -* ]] && COMPREPLY=($(compgen -W "$opts" -- "$cur")) || COMPREPLY=($(compgen -f -- "$cur"))
      return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
  else
    case "$cmd" in
      status|diff|sync|refresh|wait|history|rollback|suspend|resume) COMPREPLY=($(compgen -W "$(_gitops_apps)" -- "$cur")) ;;
      *) COMPREPLY=($(compgen -W "$opts" -- "$cur")) ;;
    esac
  fi
}
complete -F _gitops gitops
