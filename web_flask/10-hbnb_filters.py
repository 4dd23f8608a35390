"""Step 10: /hbnb_filters, the HBNB page with its filters block."""
from web_flask.factory import create_app, run
from web_flask.storage_routes import hbnb_filters

app = create_app(hbnb_filters)

if __name__ == "__main__":
    run(app)
