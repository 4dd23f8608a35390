"""Step 8: /cities_by_states, each state with its cities."""
from web_flask.factory import create_app, run
from web_flask.storage_routes import cities_by_states

app = create_app(cities_by_states)

if __name__ == "__main__":
    run(app)
