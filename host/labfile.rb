# Reads the lab file (lab.yml, or the file named by LAB_FILE) for the Vagrantfile
# and for the host scripts, and derives from it the LAB_* environment every
# provisioner gets. One reader, so the Vagrantfile and the shell scripts can never
# disagree about an address, a bridge or a box name.
#
# From the shell:  ruby host/labfile.rb get network.lxc_bridge
#                  ruby host/labfile.rb names            (one machine name a line)
#                  ruby host/labfile.rb env              (LAB_*=value lines)
#                  ruby host/labfile.rb prefix           (the network's prefix length)
#                  ruby host/labfile.rb path             (the lab file in use)
#                  ruby host/labfile.rb relocate X.Y.Z BRIDGE
#                        (lab.yml's text on network X.Y.Z.0 and bridge BRIDGE: a second lab beside the first)
require "yaml"

module LabFile
  ROOT = File.expand_path("..", __dir__)
  MODES = %w[reference practice].freeze

  # The lab file in use: LAB_FILE (relative to the repository root or absolute),
  # default lab.yml.
  def self.path
    File.expand_path(ENV.fetch("LAB_FILE", "lab.yml"), ROOT)
  end

  def self.load(file = path)
    raise "hbnb-lab: lab file #{file} not found (LAB_FILE)" unless File.file?(file)

    data = YAML.safe_load(File.read(file), filename: file)
    check(data, file)
    data
  end

  # Stops early, naming the file, when a fact the lab needs is missing.
  def self.check(data, file)
    %w[network boxes machines apps database].each do |key|
      raise "hbnb-lab: #{file}: missing '#{key}'" unless data.is_a?(Hash) && data[key]
    end
    data["machines"].each do |m|
      %w[name roles ip memory cpus].each do |key|
        raise "hbnb-lab: #{file}: machine #{m["name"] || "?"} lacks '#{key}'" if m[key].nil?
      end
    end
    names = data["machines"].map { |m| m["name"] }
    dup = names.find { |n| names.count(n) > 1 }
    raise "hbnb-lab: #{file}: machine #{dup} defined twice" if dup
  end

  def self.prefix_length(data)
    data["network"]["cidr"].split("/").fetch(1).to_i
  end

  # A fixed, locally administered MAC address for a machine's lab NIC, derived
  # from its address (02:68 then the four octets). LXC draws a new random one at
  # every container start, and the host keeps sending to the old one until its
  # neighbour entry expires: SSH and HTTP to a rebooted machine then stall for up
  # to 30 s. A VM's NIC keeps its address across reboots; this makes LXC do so too.
  def self.mac_address(ip)
    format("02:68:%02x:%02x:%02x:%02x", *ip.split(".").map(&:to_i))
  end

  def self.host_pairs(machines)
    machines.map { |m| "#{m["name"]}=#{m["ip"]}" }.join(" ")
  end

  # The provisioner environment of the brief, derived from the lab file only
  # (LAB_MODE excepted: it is the student's choice, taken from the host).
  def self.env(data, mode = ENV.fetch("LAB_MODE", "reference"))
    raise "hbnb-lab: LAB_MODE must be one of #{MODES.join(", ")}, not #{mode}" unless MODES.include?(mode)

    machines = data["machines"]
    db = machines.find { |m| m["roles"].include?("db") }
    database = data["database"]
    {
      "LAB_HOSTS" => host_pairs(machines),
      "LAB_WEB_HOSTS" => host_pairs(machines.select { |m| m["roles"].include?("web") }),
      "LAB_DB_ADDRESS" => db ? db["ip"] : "",
      "LAB_NETWORK" => data["network"]["cidr"],
      "LAB_APPS" => data["apps"].map { |a| a.values_at("name", "module", "port", "workers").join(",") }.join(" "),
      "LAB_RESERVED_PORTS" => Array(data["reserved_ports"]).join(" "),
      "LAB_DB_NAME" => database["name"].to_s,
      "LAB_DB_USER" => database["user"].to_s,
      "LAB_DB_PORT" => database["port"].to_s,
      "LAB_SEED_PLACES" => database["seed_places"].to_s,
      "LAB_MODE" => mode,
      "LAB_PROJECT_DIR" => "/vagrant",
    }.merge(practice_env(data["practice"]))
  end

  # The student's server of practice mode (lab.yml's practice section).
  def self.practice_env(practice)
    return {} unless practice

    db = practice.fetch("database", {})
    {
      "LAB_PRACTICE_USER" => practice["user"].to_s,
      "LAB_PRACTICE_HOME_MODE" => practice["home_mode"].to_s,
      "LAB_PRACTICE_CHECKOUT" => practice["checkout"].to_s,
      "LAB_PRACTICE_GUNICORN_VERSION" => practice["gunicorn_version"].to_s,
      "LAB_PRACTICE_GUNICORN_PATHS" => Array(practice["gunicorn_paths"]).join(" "),
      "LAB_PRACTICE_DB_HOST" => db["host"].to_s,
      "LAB_PRACTICE_DB_USER" => db["user"].to_s,
      "LAB_PRACTICE_DB_PASSWORD" => db["password"].to_s,
    }
  end

  # The lab file's text moved to another /24 (first three octets) and LXC bridge,
  # for a second lab beside the first (benchmarks, extra practice labs).
  def self.relocated(text, octets, bridge)
    base = YAML.safe_load(text)["network"]["cidr"].split(".")[0, 3].join(".")
    text.gsub("#{base}.", "#{octets}.").sub(/^(\s*lxc_bridge:\s*)\S+/) { "#{$1}#{bridge}" }
  end

  # A dotted key of the lab file, e.g. "network.lxc_bridge" or "boxes.lxc".
  def self.get(data, key)
    key.split(".").reduce(data) do |node, part|
      raise "hbnb-lab: no '#{key}' in #{path}" unless node.is_a?(Hash) && node.key?(part)

      node[part]
    end
  end
end

if $PROGRAM_NAME == __FILE__
  begin
    data = LabFile.load
    case ARGV[0]
    when "get" then puts LabFile.get(data, ARGV.fetch(1))
    when "names" then puts data["machines"].map { |m| m["name"] }
    when "path" then puts LabFile.path
    when "prefix" then puts LabFile.prefix_length(data)
    when "env" then LabFile.env(data).each { |k, v| puts "#{k}=#{v}" }
    when "relocate" then puts LabFile.relocated(File.read(LabFile.path), ARGV.fetch(1), ARGV.fetch(2))
    else
      warn "usage: #{$PROGRAM_NAME} get KEY | names | path | prefix | env | relocate X.Y.Z BRIDGE"
      exit 2
    end
  rescue RuntimeError, KeyError, Psych::Exception => e
    warn e.message
    exit 1
  end
end
