"""labtools/haproxy_stats.py: HAProxy's `show stat` CSV read by its header's names."""
from labtools import haproxy_stats

# The shape of HAProxy 2.6's CSV (columns trimmed: the reader goes by name).
CSV = """# pxname,svname,qcur,qmax,scur,smax,status,check_status,
hbnb_front,FRONTEND,,,903,1024,OPEN,,
hbnb_api,web-01,0,0,6,6,UP,L7OK,
hbnb_api,web-02,0,0,6,6,DOWN,L7STS,
hbnb_api,BACKEND,891,2900,903,1024,UP,,

"""


def test_servers_are_the_server_rows_only():
    servers = haproxy_stats.servers(CSV)
    assert set(servers) == {("hbnb_api", "web-01"), ("hbnb_api", "web-02")}
    assert servers[("hbnb_api", "web-02")]["check_status"] == "L7STS"


def test_backends_are_the_totals_with_their_queue():
    backends = haproxy_stats.backends(CSV)
    assert set(backends) == {"hbnb_api"}
    assert (backends["hbnb_api"]["qcur"], backends["hbnb_api"]["scur"]) == ("891", "903")


def test_rows_include_the_front_end():
    assert haproxy_stats.rows(CSV)[("hbnb_front", "FRONTEND")]["scur"] == "903"


def test_no_header_no_rows():
    assert haproxy_stats.rows("") == {} and haproxy_stats.servers("Unknown command\n") == {}
