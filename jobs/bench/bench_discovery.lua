-- wrk script: browse and search requests. GROUP (browse, search, api_browse, api_search)
-- chooses the list of paths; each thread walks it from its own offset, so that consecutive
-- requests ask different things. The browse page is asked in French (its default language
-- then is French, as for a French visitor).
local groups = {
  browse = {
    "/browse", "/browse?lang=all", "/browse?lang=en&sort=new", "/browse?lang=fr&category=music",
    "/browse?lang=all&sort=all_time&page=20", "/browse?lang=de&category=science&page=3",
    "/browse?category=podcast&lang=all", "/browse?lang=fr&sort=new&page=100",
  },
  search = {
    "/browse?q=musique", "/browse?q=%C3%A9l%C3%A8ve", "/browse?q=eleve&lang=all",
    "/browse?q=garden+notes&lang=all", "/browse?q=ete", "/browse?q=open+source+software&lang=all",
    "/browse?q=xylophone&lang=all", "/browse?q=rivi%C3%A8re+for%C3%AAt&sort=popular",
    "/browse?q=podcast&lang=en&category=podcast", "/browse?q=Libert%C3%A9+%C3%A9galit%C3%A9&lang=all",
  },
  api_browse = {
    "/api/v1/things", "/api/v1/things?lang=fr", "/api/v1/things?sort=new",
    "/api/v1/things?lang=en&category=music&sort=all_time", "/api/v1/things?page=50",
    "/api/v1/things?category=games&sort=new&page=5",
  },
  api_search = {
    "/api/v1/things?q=musique", "/api/v1/things?q=%C3%A9l%C3%A8ve", "/api/v1/things?q=garden",
    "/api/v1/things?q=ete&lang=fr", "/api/v1/things?q=data+privacy", "/api/v1/things?q=xylophone",
    "/api/v1/things?q=caf%C3%A9+boulangerie&sort=new", "/api/v1/things?q=weekly+notes&lang=en",
  },
}
local next_thread = 0
thread_index = 0
counter = 0

function setup(thread)
  thread:set("thread_index", next_thread)
  next_thread = next_thread + 1
end

function init(args)
  paths = groups[os.getenv("GROUP") or "browse"]
  counter = thread_index * 3
end

function request()
  counter = counter + 1
  return wrk.format("GET", paths[counter % #paths + 1], { ["Accept-Language"] = "fr-FR,fr" })
end

-- Non-2xx answers are counted by wrk itself ("Non-2xx or 3xx responses").
