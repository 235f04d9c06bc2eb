-- Drives a real headless Neovim with the shipped editors/neovim config against reframe.
-- Run by tests/nvim.rs as
--   nvim --headless --clean -u editors/neovim/test/e2e.lua
-- with these environment variables:
--   REFRAME_RTP     the editors/neovim folder (added to 'runtimepath': lsp/reframe.lua)
--   REFRAME_BIN     the reframe binary to start (replaces `reframe` on PATH)
--   REFRAME_FILE    the write-up to open
--   REFRAME_REPORT  where to write what was observed, as JSON
-- This script only observes and records; tests/nvim.rs asserts. It exits with `cquit 0`
-- once the report is written, 2 when the script itself failed, 3 on the watchdog.

local env = vim.env
local report = {
  nvim_version = tostring(vim.version()),
  steps = {},
  errors = {},
}
local finished = false

local function finish(code)
  if finished then
    return
  end
  finished = true
  local file = assert(io.open(env.REFRAME_REPORT, 'w'))
  file:write(vim.json.encode(report))
  file:close()
  vim.cmd('cquit ' .. code)
end

-- A hung server or a wait that never ends must not hang the test.
vim.defer_fn(function()
  table.insert(report.errors, 'watchdog: the script did not finish within 40 s')
  finish(3)
end, 40000)

vim.opt.runtimepath:prepend(env.REFRAME_RTP)
vim.lsp.config('reframe', {
  cmd = { env.REFRAME_BIN, 'lsp' },
  settings = { reframe = { rules = { ['passive-voice'] = 'off' } } },
})
-- Keep the shipped before_init, and record what it sent.
local shipped_before_init = vim.lsp.config.reframe.before_init
vim.lsp.config('reframe', {
  before_init = function(params, config)
    shipped_before_init(params, config)
    report.initialization_options = params.initializationOptions
  end,
})
vim.lsp.enable('reframe')

-- The diagnostics of a buffer as plain data.
local function diagnostics(buf)
  local out = {}
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    table.insert(out, {
      lnum = d.lnum,
      col = d.col,
      end_lnum = d.end_lnum,
      end_col = d.end_col,
      severity = d.severity,
      code = d.code,
      source = d.source,
      message = d.message,
    })
  end
  table.sort(out, function(a, b)
    if a.lnum ~= b.lnum then
      return a.lnum < b.lnum
    end
    return a.col < b.col
  end)
  return out
end

local function find_diagnostic(buf, code)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code then
      return d
    end
  end
end

local function has_code(buf, code, lnum)
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == code and (lnum == nil or d.lnum == lnum) then
      return true
    end
  end
  return false
end

-- Counts DiagnosticChanged events, to wait for a publish after an edit.
local diagnostic_events = 0
vim.api.nvim_create_autocmd('DiagnosticChanged', {
  callback = function()
    diagnostic_events = diagnostic_events + 1
  end,
})

-- Asks for the quick fixes of the first diagnostic with `code`, applies the preferred one
-- (else the first) and records what happened, under report.steps[name].
local function quick_fix(buf, client, name, code)
  local step = {}
  report.steps[name] = step
  local d = find_diagnostic(buf, code)
  if not d then
    step.error = 'no ' .. code .. ' diagnostic to fix'
    return
  end
  local lsp_diagnostic = d.user_data and d.user_data.lsp
  step.line_before = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, true)[1]
  local params = {
    textDocument = { uri = vim.uri_from_bufnr(buf) },
    range = lsp_diagnostic.range,
    context = { diagnostics = { lsp_diagnostic }, only = { 'quickfix' }, triggerKind = 1 },
  }
  local response, err = client:request_sync('textDocument/codeAction', params, 5000, buf)
  if not response then
    step.error = 'textDocument/codeAction: ' .. tostring(err)
    return
  elseif response.err then
    step.error = 'textDocument/codeAction answered an error: ' .. tostring(response.err)
    return
  end
  -- The server may also offer actions for other findings on the same range: keep those
  -- that name this finding (all of them when none names any).
  local actions = {}
  for _, action in ipairs(response.result or {}) do
    for _, fixed in ipairs(action.diagnostics or {}) do
      if fixed.code == code then
        table.insert(actions, action)
        break
      end
    end
  end
  if #actions == 0 then
    actions = response.result or {}
  end
  step.titles = {}
  local chosen
  for _, action in ipairs(actions) do
    table.insert(step.titles, action.title)
    if action.isPreferred and not chosen then
      chosen = action
    end
  end
  chosen = chosen or actions[1]
  if not chosen then
    return
  end
  step.chosen = chosen.title
  step.preferred = chosen.isPreferred == true
  if not chosen.edit and not chosen.command then
    local resolved = client:request_sync('codeAction/resolve', chosen, 5000, buf)
    if resolved and resolved.result then
      chosen = resolved.result
    end
  end
  local events_before = diagnostic_events
  if chosen.edit then
    vim.lsp.util.apply_workspace_edit(chosen.edit, client.offset_encoding)
  elseif chosen.command then
    local command = type(chosen.command) == 'table' and chosen.command or chosen
    client:exec_cmd(command, { bufnr = buf })
  else
    step.error = 'the chosen action has neither an edit nor a command'
    return
  end
  step.line_after = vim.api.nvim_buf_get_lines(buf, d.lnum, d.lnum + 1, true)[1]
  step.lines_after = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
  -- Wait for the server to publish for the edited text (the finding should go).
  vim.wait(5000, function()
    return diagnostic_events > events_before and not has_code(buf, code, d.lnum)
  end, 20)
  step.republished = diagnostic_events > events_before
  step.diagnostics_after = diagnostics(buf)
end

local function main()
  vim.cmd.edit(vim.fn.fnameescape(env.REFRAME_FILE))
  local buf = vim.api.nvim_get_current_buf()
  report.filetype = vim.bo[buf].filetype

  local attached = vim.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'reframe' }) > 0
  end, 20)
  if not attached then
    table.insert(report.errors, 'the reframe client never attached to the buffer')
    return
  end
  local client = vim.lsp.get_clients({ bufnr = buf, name = 'reframe' })[1]
  report.root_dir = client.root_dir
  report.offset_encoding = client.offset_encoding
  report.capabilities = {
    codeActionProvider = client.server_capabilities.codeActionProvider ~= nil,
    documentSymbolProvider = client.server_capabilities.documentSymbolProvider ~= nil,
  }
  report.server_name = client.server_info and client.server_info.name

  vim.wait(10000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  -- Publishing is one message per version: give a second one a moment, then read.
  vim.wait(200)
  report.diagnostics = diagnostics(buf)
  report.lines = vim.api.nvim_buf_get_lines(buf, 0, -1, true)

  for _, step in ipairs({
    { 'weak_verb_fix', 'weak-verb' },
    { 'heading_fix', 'section-heading' },
  }) do
    local ok, err = xpcall(quick_fix, debug.traceback, buf, client, step[1], step[2])
    if not ok then
      report.steps[step[1]] = { error = err }
    end
  end

  -- Requests go to the client directly: vim.lsp.buf_request_sync raises when no server
  -- offers the method, and the report should say so instead.
  local outline = {}
  report.steps.outline = outline
  local response, err = client:request_sync(
    'textDocument/documentSymbol',
    { textDocument = { uri = vim.uri_from_bufnr(buf) } },
    5000,
    buf
  )
  if not response then
    outline.error = 'textDocument/documentSymbol: ' .. tostring(err)
  elseif response.err then
    outline.error = 'textDocument/documentSymbol answered an error: ' .. tostring(response.err)
  else
    outline.symbols = response.result
  end
end

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true,
  once = true,
  callback = function()
    local ok, err = xpcall(main, debug.traceback)
    if not ok then
      table.insert(report.errors, err)
      finish(2)
    else
      finish(0)
    end
  end,
})
