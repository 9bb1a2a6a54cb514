-- Drives Neovim's built-in LSP client against the arXiv Classifier language server, as a user's config
-- would, and writes what it saw to a JSON file. Run by neovim.test.ts:
--   nvim --headless --clean -n -c "luafile nvimDriver.lua"
-- Environment: ARXIV_SERVER (dist/server.js), ARXIV_NODE (node binary, default: node on PATH), ARXIV_DRAFT (the .tex file), ARXIV_OUT (result JSON),
-- ARXIV_DEADLINE_MS (bound on the whole run). Works with Neovim 0.7 (Debian 12) and later: it uses
-- vim.lsp.start_client + buf_attach_client, which vim.lsp.start (0.8+) and vim.lsp.config (0.11+) wrap.
-- Every wait is on state (vim.wait on a condition), bounded by what is left of the deadline.
local out_path = assert(os.getenv('ARXIV_OUT'), 'ARXIV_OUT')
local started = vim.loop.now()
local deadline_ms = tonumber(os.getenv('ARXIV_DEADLINE_MS') or '') or 90000
local result = { events = {} }

local function remaining()
  return math.max(0, deadline_ms - (vim.loop.now() - started))
end

local function note(what)
  table.insert(result.events, string.format('%6d ms %s', vim.loop.now() - started, what))
end

local function finish()
  local f = assert(io.open(out_path, 'w'))
  f:write(vim.fn.json_encode(result))
  f:close()
  vim.cmd('qall!')
end

local function run()
  local server = assert(os.getenv('ARXIV_SERVER'), 'ARXIV_SERVER')
  local draft = assert(os.getenv('ARXIV_DRAFT'), 'ARXIV_DRAFT')
  vim.cmd('edit ' .. vim.fn.fnameescape(draft))
  local bufnr = vim.api.nvim_get_current_buf()
  result.filetype = vim.bo[bufnr].filetype

  -- No init_options and no settings: the server must fall back to the model shipped next to dist/server.js.
  local client_id = vim.lsp.start_client({
    name = 'arxiv-classifier',
    cmd = { os.getenv('ARXIV_NODE') or 'node', server, '--stdio' },
    root_dir = vim.fn.fnamemodify(draft, ':p:h'),
    on_exit = function(code) result.server_exit = code end,
  })
  assert(client_id, 'vim.lsp.start_client returned nil')
  vim.lsp.buf_attach_client(bufnr, client_id)

  local ready = vim.wait(remaining(), function()
    local c = vim.lsp.get_client_by_id(client_id)
    return c ~= nil and c.initialized == true
  end, 20)
  assert(ready, 'the server did not finish initialize')
  local client = vim.lsp.get_client_by_id(client_id)
  result.hover_provider = client.server_capabilities ~= nil and client.server_capabilities.hoverProvider == true
  note('initialized')

  -- The declared-category warning is published once the draft is classified.
  local got = vim.wait(remaining(), function() return #vim.diagnostic.get(bufnr) > 0 end, 50)
  assert(got, 'no diagnostic arrived')
  result.diagnostics = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    table.insert(result.diagnostics, { lnum = d.lnum, col = d.col, severity = d.severity, message = d.message, source = d.source })
  end
  note('diagnostics')

  -- Hover on the title, as K would.
  local title_line
  for i, line in ipairs(vim.api.nvim_buf_get_lines(bufnr, 0, -1, false)) do
    if line:find('\\title{', 1, true) then title_line = i - 1 break end
  end
  assert(title_line, 'no \\title line in the draft')
  local params = { textDocument = { uri = vim.uri_from_bufnr(bufnr) }, position = { line = title_line, character = 12 } }
  local responses = vim.lsp.buf_request_sync(bufnr, 'textDocument/hover', params, math.max(1, remaining()))
  assert(responses, 'no hover response before the deadline')
  local texts = {}
  for _, r in pairs(responses) do
    if r.error then table.insert(texts, 'ERROR: ' .. vim.inspect(r.error)) end
    local contents = r.result and r.result.contents
    if type(contents) == 'table' then
      -- MarkupContent, MarkedString or MarkedString[]: the same helper K uses.
      table.insert(texts, table.concat(vim.lsp.util.convert_input_to_markdown_lines(contents), '\n'))
    end
  end
  result.hover = table.concat(texts, '\n')
  note('hover')

  vim.lsp.stop_client(client_id)
  vim.wait(math.min(5000, remaining()), function() return vim.lsp.get_client_by_id(client_id) == nil end, 20)
  note('stopped')
end

local ok, err = pcall(run)
result.ok = ok
if not ok then result.error = tostring(err) end
finish()
