"""Step 9: /states and /states/<id> (the page says "Not found!" for an unknown id)."""
from web_flask.factory import create_app, run
from web_flask.storage_routes import states

app = create_app(states)

if __name__ == "__main__":
    run(app)
