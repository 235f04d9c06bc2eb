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


-- Waits, inside a coroutine run by run_async, until `condition` holds or `ms` pass: each
-- turn goes back to the main loop, which processes typed keys (insert mode, the popup
-- menu) as it does for a user.
local function wait_async(ms, condition)
  local deadline = vim.uv.now() + ms
  while not condition() do
    if vim.uv.now() > deadline then
      return false
    end
    coroutine.yield()
  end
  return true
end

-- Runs `fn` as a coroutine resumed from the main loop every 10 ms; `done(err)` at the end.
local function run_async(fn, done)
  local co = coroutine.create(fn)
  local function resume()
    local ok, err = coroutine.resume(co)
    if not ok then
      done(debug.traceback(co, err))
    elseif coroutine.status(co) == 'dead' then
      done(nil)
    else
      vim.defer_fn(resume, 10)
    end
  end
  vim.schedule(resume)
end

-- Types `typed` on a new last line in insert mode, asks for completion through the
-- built-in path (vim.lsp.completion, what autotrigger and <C-x><C-o> use once enabled),
-- accepts the item labelled `label` from the popup menu and records the line after it.
-- Runs in a coroutine (run_async).
local function completion_step(buf, client, name, typed, label)
  local step = {}
  report.steps[name] = step
  vim.o.completeopt = 'menu,menuone,noselect'
  vim.lsp.completion.enable(true, client.id, buf, { autotrigger = false })
  local last = vim.api.nvim_buf_line_count(buf)
  vim.api.nvim_buf_set_lines(buf, last, last, true, { '', typed })
  vim.api.nvim_win_set_cursor(0, { last + 2, 0 })
  vim.api.nvim_feedkeys('A', 'n', false)
  step.insert_mode = wait_async(3000, function()
    return vim.api.nvim_get_mode().mode == 'i'
  end)
  vim.lsp.completion.get()
  step.popup = wait_async(5000, function()
    return vim.fn.pumvisible() == 1
  end)
  local info = vim.fn.complete_info({ 'items' })
  step.items = {}
  local index
  for i, item in ipairs(info.items or {}) do
    table.insert(step.items, item.abbr)
    if item.abbr == label and not index then
      index = i
    end
  end
  if index then
    vim.api.nvim_select_popupmenu_item(index - 1, true, true, {})
    wait_async(3000, function()
      local line = vim.api.nvim_buf_get_lines(buf, last + 1, last + 2, true)[1]
      return line ~= typed and vim.fn.pumvisible() == 0
    end)
    wait_async(100, function()
      return false
    end)
    step.line_after = vim.api.nvim_buf_get_lines(buf, last + 1, last + 2, true)[1]
    step.cursor_after = vim.api.nvim_win_get_cursor(0)
  else
    step.error = 'no completion item ' .. label
  end
  vim.api.nvim_feedkeys(vim.keycode('<Esc>'), 'n', false)
  wait_async(3000, function()
    return vim.api.nvim_get_mode().mode == 'n'
  end)
  -- Leave the buffer as it was.
  vim.api.nvim_buf_set_lines(buf, last, last + 2, true, {})
end

-- The plain code-action menu (what `gra` asks for: no `only`) on the line of every
-- missing-section diagnostic, with the sections each names.
local function menu_step(buf, client)
  local step = { lines = {} }
  report.steps.plain_menu = step
  for _, d in ipairs(vim.diagnostic.get(buf)) do
    if d.code == 'missing-section' then
      local lsp_diagnostic = d.user_data.lsp
      local response = client:request_sync('textDocument/codeAction', {
        textDocument = { uri = vim.uri_from_bufnr(buf) },
        range = lsp_diagnostic.range,
        context = { diagnostics = { lsp_diagnostic }, triggerKind = 1 },
      }, 5000, buf)
      local entry = { lnum = d.lnum, sections = lsp_diagnostic.data.sections, actions = {} }
      for _, action in ipairs(response and response.result or {}) do
        table.insert(entry.actions, { title = action.title, kind = action.kind })
      end
      table.insert(step.lines, entry)
    end
  end
end

-- Opens `path`, waits for the client and its diagnostics; gives the buffer.
local function open_file(path)
  vim.cmd.edit(vim.fn.fnameescape(path))
  local buf = vim.api.nvim_get_current_buf()
  vim.wait(10000, function()
    return #vim.lsp.get_clients({ bufnr = buf, name = 'reframe' }) > 0
  end, 20)
  vim.wait(10000, function()
    return #vim.diagnostic.get(buf) > 0
  end, 20)
  vim.wait(200)
  return buf
end

-- Refreshes the code lenses, runs the "Note: …" one through vim.lsp.codelens.run() (which
-- asks vim.ui.select when a line has several) and records the note it added.
local function code_lens_step(buf)
  local step = {}
  report.steps.code_lens = step
  vim.lsp.codelens.refresh({ bufnr = buf })
  vim.wait(5000, function()
    return #vim.lsp.codelens.get(buf) > 0
  end, 20)
  local lenses = vim.lsp.codelens.get(buf)
  step.titles = {}
  local note
  for _, lens in ipairs(lenses) do
    table.insert(step.titles, lens.command and lens.command.title or '')
    if lens.command and lens.command.command == 'reframe.addQuestionNote' and not note then
      note = lens
    end
  end
  if not note then
    step.error = 'no "Note:" code lens'
    return
  end
  step.question = note.command.arguments[2]
  step.lens_line = note.range.start.line
  vim.api.nvim_win_set_cursor(0, { note.range.start.line + 1, 0 })
  local select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    step.choices = {}
    for i, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(step.choices, title)
      if title == note.command.title then
        return on_choice(item, i)
      end
    end
    on_choice(nil, nil)
  end
  vim.lsp.codelens.run()
  vim.ui.select = select
  local wanted = '> [!question] ' .. step.question
  step.added = vim.wait(5000, function()
    for _, line in ipairs(vim.api.nvim_buf_get_lines(buf, 0, -1, true)) do
      if line == wanted then
        return true
      end
    end
    return false
  end, 20)
  step.lines_after = vim.api.nvim_buf_get_lines(buf, 0, -1, true)
end

-- Asks for workspace diagnostics (vim.lsp.buf.workspace_diagnostics) and records those of
-- a write-up that was never opened.
local function workspace_step(client, path)
  local step = {}
  report.steps.workspace_diagnostics = step
  if not vim.lsp.buf.workspace_diagnostics then
    step.error = 'this Neovim has no vim.lsp.buf.workspace_diagnostics'
    return
  end
  local uri = vim.uri_from_fname(path)
  step.was_listed = vim.fn.bufexists(path) == 1
  vim.lsp.buf.workspace_diagnostics({ client_id = client.id })
  local bufnr
  vim.wait(10000, function()
    bufnr = vim.uri_to_bufnr(uri)
    return #vim.diagnostic.get(bufnr) > 0
  end, 20)
  step.loaded = vim.api.nvim_buf_is_loaded(bufnr)
  step.diagnostics = diagnostics(bufnr)
end

-- `:Reframe new star FILE` (the config's user command): the server creates FILE through
-- workspace/applyEdit and the command opens it; records its lines and the completions.
local function new_writeup_step(buf)
  local step = {}
  report.steps.new_writeup = step
  vim.api.nvim_set_current_buf(buf)
  local path = vim.fn.fnamemodify(env.REFRAME_FILE, ':h') .. '/new/stories.md'
  step.completions = vim.fn.getcompletion('Reframe new s', 'cmdline')
  step.messages = {}
  local notify = vim.notify
  vim.notify = function(message)
    table.insert(step.messages, message)
  end
  vim.cmd('Reframe new star ' .. vim.fn.fnameescape(path))
  step.opened = vim.wait(10000, function()
    return vim.api.nvim_buf_get_name(0) == path
      and vim.api.nvim_buf_get_lines(0, 0, -1, true)[2] ~= nil
      and vim.api.nvim_buf_line_count(0) > 5
  end, 20)
  vim.notify = notify
  step.exists = vim.uv.fs_stat(path) ~= nil
  step.lines = vim.api.nvim_buf_get_lines(0, 0, -1, true)
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

  report.capabilities.diagnosticProvider = client.server_capabilities.diagnosticProvider ~= nil
  report.capabilities.workspaceDiagnostics = vim.tbl_get(
    client.server_capabilities,
    'diagnosticProvider',
    'workspaceDiagnostics'
  ) == true

  local function step(name, fn, ...)
    local ok, err = xpcall(fn, debug.traceback, ...)
    if not ok then
      report.steps[name] = { error = err }
    end
  end

  step('plain_menu', menu_step, buf, client)

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

  -- A second write-up: the bundled example, with questions and a section out of order.
  local example = open_file(env.REFRAME_EXAMPLE)
  local example_client = vim.lsp.get_clients({ bufnr = example, name = 'reframe' })[1]
  step('code_lens', code_lens_step, example)
  step('section_order_fix', quick_fix, example, example_client, 'section_order_fix', 'section-order')
  step('workspace_diagnostics', workspace_step, example_client, env.REFRAME_CLOSED)
  step('new_writeup', new_writeup_step, example)

  -- Back in the first write-up, completion in insert mode (asynchronous: typed keys are
  -- processed by the main loop).
  vim.cmd.buffer(buf)
  return function()
    completion_step(buf, client, 'completion', '## Dec', '## 6. Decisions & Trade-offs')
    completion_step(buf, client, 'field_completion', '- **Risk', 'Risk Reduction')
  end
end

vim.api.nvim_create_autocmd('VimEnter', {
  nested = true,
  once = true,
  callback = function()
    local ok, later = xpcall(main, debug.traceback)
    if not ok then
      table.insert(report.errors, later)
      finish(2)
    elseif type(later) == 'function' then
      run_async(later, function(err)
        if err then
          table.insert(report.errors, err)
          finish(2)
        else
          finish(0)
        end
      end)
    else
      finish(0)
    end
  end,
})
