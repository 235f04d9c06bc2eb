-- reframe language server for Neovim >= 0.11.
--
-- Add this folder (editors/neovim) to 'runtimepath' and call vim.lsp.enable('reframe'):
-- Neovim finds this file as lsp/reframe.lua and merges it with anything you pass to
-- vim.lsp.config('reframe', { ... }). See editors/neovim/README.md.

---@type vim.lsp.Config
return {
  cmd = { 'reframe', 'lsp' },
  filetypes = { 'markdown' },
  -- The nearest folder with a reframe config or a git checkout is the workspace root.
  root_markers = { '.reframe.toml', '.git' },
  -- Server settings live under `reframe`, for example
  --   settings = { reframe = { rules = { ['passive-voice'] = 'off', hedge = 'hint' } } }
  -- (a rule code to error | warning | information | hint | off). Values in a .reframe.toml
  -- take precedence. Neovim sends them with workspace/didChangeConfiguration and answers
  -- workspace/configuration from them; before_init also passes them at start-up.
  settings = { reframe = vim.empty_dict() },
  before_init = function(params, config)
    local settings = config.settings or {}
    params.initializationOptions = { reframe = settings.reframe or vim.empty_dict() }
  end,
}
