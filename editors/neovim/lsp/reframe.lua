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
  -- `:Reframe new TEMPLATE [FILE]` starts a write-up from a template (tab completes the
  -- names): into the current buffer when it is empty, else into FILE, which the server
  -- creates (never over an existing file) and which is then opened. It runs the server
  -- command `reframe.newWriteup`; the server edits through workspace/applyEdit.
  on_attach = function(client, bufnr)
    local function templates()
      local reply = client:request_sync('workspace/executeCommand', {
        command = 'reframe.templates',
        arguments = { vim.uri_from_bufnr(bufnr) },
      }, 2000, bufnr)
      local names = {}
      for _, t in ipairs(reply and reply.result or {}) do
        table.insert(names, t.name)
      end
      return names
    end
    vim.api.nvim_buf_create_user_command(bufnr, 'Reframe', function(opts)
      local sub, name, file = opts.fargs[1], opts.fargs[2], opts.fargs[3]
      if sub ~= 'new' or not name then
        vim.notify('usage: :Reframe new TEMPLATE [FILE]', vim.log.levels.ERROR)
        return
      end
      local buf = vim.api.nvim_get_current_buf()
      local uri
      if file then
        uri = vim.uri_from_fname(vim.fn.fnamemodify(file, ':p'))
      else
        uri = vim.uri_from_bufnr(buf)
      end
      client:exec_cmd({ title = 'new write-up', command = 'reframe.newWriteup', arguments = { name, uri } },
        { bufnr = buf }, function(err)
          if err then
            vim.notify('reframe: ' .. err.message, vim.log.levels.ERROR)
          elseif file then
            vim.cmd.edit(vim.fn.fnameescape(vim.uri_to_fname(uri)))
          end
        end)
    end, {
      nargs = '+',
      desc = 'reframe: new write-up from a template',
      complete = function(lead, line)
        local words = vim.split(line, '%s+')
        local options = #words <= 2 and { 'new' } or (#words == 3 and templates() or {})
        return vim.tbl_filter(function(o)
          return vim.startswith(o, lead)
        end, options)
      end,
    })
  end,
}
